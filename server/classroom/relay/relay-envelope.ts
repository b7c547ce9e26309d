import type { CapturedChunk } from '../../tap/capture-types.ts';
import type { RelayedMessage } from './teacher-relay.ts';
import { encodeJsonHeadedFrame, splitJsonHeadedFrame } from '../../../contracts/capture-channel/messages.ts';

/**
 * The teacher's relayed traffic on its way to the other instances (one Redis message per batch),
 * in the capture channel's frame layout (contracts/capture-channel/): a 4-byte header length, a JSON header (who sent it, the class, the messages with each chunk's
 * place but not its bytes), then the chunks' bytes in order. The bytes are already blanked
 * (teacher-relay.ts) before they leave the teacher's instance.
 */
export interface RelayEnvelope {
  from: string;
  code: string;
  messages: RelayedMessage[];
}

type HeaderMessage = Exclude<RelayedMessage, { type: 'chunks' }> | { type: 'chunks'; chunks: Array<Omit<CapturedChunk, 'data'> & { length: number }> };

export function encodeRelayEnvelope(envelope: RelayEnvelope): Buffer {
  const data: Buffer[] = [];
  const messages: HeaderMessage[] = envelope.messages.map((message) => {
    if (message.type !== 'chunks') return message;
    return {
      type: 'chunks',
      chunks: message.chunks.map(({ data: bytes, ...place }) => {
        data.push(bytes);
        return { ...place, length: bytes.length };
      }),
    };
  });
  const frame = encodeJsonHeadedFrame({ from: envelope.from, code: envelope.code, messages }, data, (size) => Buffer.allocUnsafe(size));
  return Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
}

/** null for anything that is not an envelope this code wrote (a foreign publisher on the channel). */
export function decodeRelayEnvelope(bytes: Buffer): RelayEnvelope | null {
  try {
    const frame = splitJsonHeadedFrame(bytes);
    const header = frame?.header as { from?: unknown; code?: unknown; messages?: unknown } | null | undefined;
    if (!frame || typeof header !== 'object' || header === null) return null;
    if (typeof header.from !== 'string' || typeof header.code !== 'string' || !Array.isArray(header.messages)) return null;
    const data = frame.data;
    let at = 0;
    const messages: RelayedMessage[] = [];
    for (const message of header.messages as HeaderMessage[]) {
      if (message?.type !== 'chunks') {
        messages.push(message);
        continue;
      }
      const chunks: CapturedChunk[] = [];
      for (const { length, ...place } of message.chunks) {
        if (!Number.isInteger(length) || length < 0 || at + length > data.length) return null;
        chunks.push({ ...place, data: Buffer.from(data.subarray(at, at + length)) });
        at += length;
      }
      messages.push({ type: 'chunks', chunks });
    }
    return at === data.length ? { from: header.from, code: header.code, messages } : null;
  } catch {
    return null;
  }
}
