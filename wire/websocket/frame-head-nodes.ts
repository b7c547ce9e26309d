// The head of one WebSocket frame as the inspector shows it (RFC 6455 §5.2): its two first bytes
// bit by bit, the extended length and the masking key, each with its meaning in both languages.
import { ru } from '../node-text.ts';
import type { WireNode } from '../types.ts';
import type { FrameHead } from './frame-head.ts';

/** The nodes of a frame's head; `local`: where it starts in `bytes`, `position`: in the stream. */
export function frameHeadNodes(bytes: Uint8Array, local: number, position: number, header: FrameHead, name: string, deflate: boolean): WireNode[] {
  const { headerLength, lengthBits, length, masked } = header;
  const children: WireNode[] = [firstByteNode(bytes[local], position, header, name, deflate), secondByteNode(bytes[local + 1], position, header)];
  if (lengthBits !== 7) {
    const size = lengthBits === 16 ? 2 : 8;
    children.push(
      ru(
        {
          kind: 'ws-extended-length',
          label: `extended payload length, ${lengthBits} bits`,
          value: `${length}`,
          range: { start: position + 2, end: position + 2 + size },
        },
        `расширенная длина полезной нагрузки, ${lengthBits} бит`,
      ),
    );
  }
  if (masked) {
    const keyStart = local + headerLength - 4;
    const payloadStart = position + headerLength;
    const key = bytes.subarray(keyStart, keyStart + 4);
    children.push(ru({ kind: 'ws-masking-key', label: 'masking key', value: hex(key), range: { start: payloadStart - 4, end: payloadStart } }, 'ключ маски'));
  }
  return children;
}

/** FIN, RSV1–3 and the opcode. */
function firstByteNode(byte: number, position: number, header: FrameHead, name: string, deflate: boolean): WireNode {
  const { fin, rsv1, rsv2, rsv3, opcode } = header;
  const rsvValue = `${+rsv1} ${+rsv2} ${+rsv3}`;
  return ru(
    {
      kind: 'ws-header-byte',
      label: 'FIN · RSV1 · RSV2 · RSV3 · opcode',
      value: bits(byte),
      range: { start: position, end: position + 1 },
      children: [
        ru(
          {
            kind: 'ws-fin',
            label: 'FIN',
            value: fin ? '1: the last frame of its message' : '0: more frames of this message follow',
            range: { start: position, end: position + 1 },
          },
          'FIN',
          fin ? '1: последний кадр своего сообщения' : '0: дальше идут ещё кадры этого сообщения',
        ),
        ru(
          {
            kind: 'ws-rsv',
            label: 'RSV1 RSV2 RSV3',
            value: `${rsvValue}${rsv1 && deflate ? ': RSV1 = compressed (permessage-deflate)' : ''}`,
            range: { start: position, end: position + 1 },
          },
          'RSV1 RSV2 RSV3',
          `${rsvValue}${rsv1 && deflate ? ': RSV1 = сжато (permessage-deflate)' : ''}`,
        ),
        ru(
          { kind: 'ws-opcode', label: 'opcode', value: `0x${opcode.toString(16)} ${name}`, range: { start: position, end: position + 1 } },
          'код операции (opcode)',
        ),
      ],
    },
    'FIN · RSV1 · RSV2 · RSV3 · opcode',
  );
}

/** MASK and the 7-bit payload length. */
function secondByteNode(byte: number, position: number, header: FrameHead): WireNode {
  const { masked, lengthBits, length7 } = header;
  return ru(
    {
      kind: 'ws-header-byte',
      label: 'MASK · payload length',
      value: bits(byte),
      range: { start: position + 1, end: position + 2 },
      children: [
        ru(
          {
            kind: 'ws-mask',
            label: 'MASK',
            value: masked ? '1: the payload is masked (every client frame must be)' : '0: not masked (server frames never are)',
            range: { start: position + 1, end: position + 2 },
          },
          'MASK',
          masked ? '1: полезная нагрузка замаскирована (так обязан делать каждый кадр клиента)' : '0: без маски (кадры сервера маскировать нельзя)',
        ),
        ru(
          {
            kind: 'ws-length-7',
            label: 'payload length, 7 bits',
            value: lengthBits === 7 ? `${length7}` : lengthBits === 16 ? '126: the length follows in 16 bits' : '127: the length follows in 64 bits',
            range: { start: position + 1, end: position + 2 },
          },
          'длина полезной нагрузки, 7 бит',
          lengthBits === 7 ? `${length7}` : lengthBits === 16 ? '126: длина идёт дальше, в 16 битах' : '127: длина идёт дальше, в 64 битах',
        ),
      ],
    },
    'MASK · длина полезной нагрузки',
  );
}

function bits(byte: number): string {
  const text = byte.toString(2).padStart(8, '0');
  return `${text.slice(0, 4)} ${text.slice(4)}`;
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
}
