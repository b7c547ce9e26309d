import { ru } from '../node-text.ts';
import type { WireNode } from '../types.ts';

// HTTP/2 framing (RFC 9113 §4 and §6): names of frame types, flags, error codes and settings,
// and the tree of one frame's 9-byte header and its payload fields.

/** Every HTTP/2 connection starts with these 24 bytes from the client (RFC 9113 §3.4). */
export const CLIENT_PREFACE = new TextEncoder().encode('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
export const FRAME_HEADER_BYTES = 9;

export const FRAME_TYPES: Readonly<Record<number, string>> = {
  0x0: 'DATA',
  0x1: 'HEADERS',
  0x2: 'PRIORITY',
  0x3: 'RST_STREAM',
  0x4: 'SETTINGS',
  0x5: 'PUSH_PROMISE',
  0x6: 'PING',
  0x7: 'GOAWAY',
  0x8: 'WINDOW_UPDATE',
  0x9: 'CONTINUATION',
  // extensions a real peer may send
  0xa: 'ALTSVC',
  0xc: 'ORIGIN',
  0x10: 'PRIORITY_UPDATE',
};

/** Flags each frame type defines (RFC 9113 §6); other bits are unused and must be ignored. */
export const FRAME_FLAGS: Readonly<Record<number, ReadonlyArray<readonly [bit: number, name: string]>>> = {
  0x0: [
    [0x1, 'END_STREAM'],
    [0x8, 'PADDED'],
  ],
  0x1: [
    [0x1, 'END_STREAM'],
    [0x4, 'END_HEADERS'],
    [0x8, 'PADDED'],
    [0x20, 'PRIORITY'],
  ],
  0x4: [[0x1, 'ACK']],
  0x5: [
    [0x4, 'END_HEADERS'],
    [0x8, 'PADDED'],
  ],
  0x6: [[0x1, 'ACK']],
  0x9: [[0x4, 'END_HEADERS']],
};

export const ERROR_CODES: readonly string[] = [
  'NO_ERROR',
  'PROTOCOL_ERROR',
  'INTERNAL_ERROR',
  'FLOW_CONTROL_ERROR',
  'SETTINGS_TIMEOUT',
  'STREAM_CLOSED',
  'FRAME_SIZE_ERROR',
  'REFUSED_STREAM',
  'CANCEL',
  'COMPRESSION_ERROR',
  'CONNECT_ERROR',
  'ENHANCE_YOUR_CALM',
  'INADEQUATE_SECURITY',
  'HTTP_1_1_REQUIRED',
];

const ERROR_MEANINGS: readonly string[] = [
  'graceful shutdown or no error',
  'the peer broke the protocol',
  'an unexpected internal error',
  'flow control was violated',
  'SETTINGS were not acknowledged in time',
  'a frame came for a half-closed stream',
  'a frame had an invalid size',
  'the stream was refused before any processing (safe to retry)',
  'the stream is no longer needed',
  'the header compression context broke',
  'a CONNECT tunnel failed',
  'the peer generates excessive load',
  'the transport is not secure enough',
  'use HTTP/1.1 for this request',
];

const ERROR_MEANINGS_RU: readonly string[] = [
  'штатное закрытие, ошибки нет',
  'собеседник нарушил протокол',
  'непредвиденная внутренняя ошибка',
  'нарушено управление потоком',
  'SETTINGS не подтвердили вовремя',
  'кадр пришёл в наполовину закрытый поток',
  'у кадра недопустимый размер',
  'поток отклонён до всякой обработки (можно повторить)',
  'поток больше не нужен',
  'сломался контекст сжатия заголовков',
  'туннель CONNECT не удался',
  'собеседник создаёт чрезмерную нагрузку',
  'транспорт недостаточно защищён',
  'для этого запроса нужен HTTP/1.1',
];

export function errorCodeName(code: number): string {
  return ERROR_CODES[code] ?? `UNKNOWN_0x${code.toString(16)}`;
}

export const SETTINGS_NAMES: Readonly<Record<number, string>> = {
  0x1: 'HEADER_TABLE_SIZE',
  0x2: 'ENABLE_PUSH',
  0x3: 'MAX_CONCURRENT_STREAMS',
  0x4: 'INITIAL_WINDOW_SIZE',
  0x5: 'MAX_FRAME_SIZE',
  0x6: 'MAX_HEADER_LIST_SIZE',
  0x8: 'ENABLE_CONNECT_PROTOCOL',
  0x9: 'NO_RFC7540_PRIORITIES',
};

const SETTINGS_MEANINGS: Readonly<Record<number, readonly [en: string, ru: string]>> = {
  0x1: [
    'largest HPACK dynamic table the sender’s decoder allows (bytes)',
    'наибольшая динамическая таблица HPACK, которую допускает декодер отправителя (байт)',
  ],
  0x2: ['may the server push (1) or not (0)', 'может ли сервер присылать push (1) или нет (0)'],
  0x3: ['streams the peer may open at once', 'сколько потоков собеседник может открыть одновременно'],
  0x4: ['flow-control window of each new stream (bytes)', 'окно управления потоком для каждого нового потока (байт)'],
  0x5: ['largest frame payload the sender accepts (bytes)', 'наибольшая полезная нагрузка кадра, которую принимает отправитель (байт)'],
  0x6: ['largest header list the sender accepts (bytes, uncompressed)', 'наибольший список заголовков, который принимает отправитель (байт, без сжатия)'],
  0x8: ['extended CONNECT (WebSockets over HTTP/2) allowed', 'разрешён расширенный CONNECT (WebSocket поверх HTTP/2)'],
  0x9: ['RFC 7540 stream priorities are not used', 'приоритеты потоков из RFC 7540 не используются'],
};

export function frameTypeName(type: number): string {
  return FRAME_TYPES[type] ?? `UNKNOWN_0x${type.toString(16).padStart(2, '0')}`;
}

export function flagNames(type: number, flags: number): string[] {
  return (FRAME_FLAGS[type] ?? []).filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name);
}

/** The 9-byte frame header, as read from the wire. */
export interface FrameHeader {
  length: number;
  type: number;
  flags: number;
  /** the reserved bit before the stream id: must be 0 */
  reserved: boolean;
  streamId: number;
}

export function readFrameHeader(bytes: Uint8Array, at: number): FrameHeader {
  return {
    length: (bytes[at] << 16) | (bytes[at + 1] << 8) | bytes[at + 2],
    type: bytes[at + 3],
    flags: bytes[at + 4],
    reserved: (bytes[at + 5] & 0x80) !== 0,
    streamId: readUint31(bytes, at + 5),
  };
}

/** The SETTINGS frame's type, and its one flag (RFC 9113 §6.5). */
export const SETTINGS_FRAME = 0x4;
export const ACK_FLAG = 0x1;
/** Each setting is a 16-bit identifier and a 32-bit value (§6.5.1). */
export const SETTING_BYTES = 6;

/**
 * Whether a frame header opens a server's connection preface (RFC 9113 §3.4): a SETTINGS frame
 * on stream 0, not an acknowledgement, of whole settings (§6.5).
 */
export function isServerPreface(header: FrameHeader): boolean {
  return header.type === SETTINGS_FRAME && (header.flags & ACK_FLAG) === 0 && header.streamId === 0 && header.length % SETTING_BYTES === 0;
}

export function readUint31(bytes: Uint8Array, at: number): number {
  return (bytes[at] & 0x7f) * 2 ** 24 + (bytes[at + 1] << 16) + (bytes[at + 2] << 8) + bytes[at + 3];
}

export function readUint32(bytes: Uint8Array, at: number): number {
  return bytes[at] * 2 ** 24 + (bytes[at + 1] << 16) + (bytes[at + 2] << 8) + bytes[at + 3];
}

/** Nodes of the 9-byte header; `start` is the frame's first byte in the stream. */
export function frameHeaderNode(header: FrameHeader, start: number): WireNode {
  const flags = FRAME_FLAGS[header.type] ?? [];
  const set = flagNames(header.type, header.flags);
  const flagsValue = `0x${header.flags.toString(16).padStart(2, '0')}${set.length > 0 ? ` = ${set.join(' | ')}` : ''}`;
  const typeValue = `0x${header.type.toString(16)} ${frameTypeName(header.type)}`;
  return ru(
    {
      kind: 'h2-frame-header',
      label: 'Frame header (9 bytes)',
      range: { start, end: start + FRAME_HEADER_BYTES },
      children: [
        ru(
          { kind: 'h2-length', label: 'Length (24 bits)', value: `${header.length} bytes of payload`, range: { start, end: start + 3 } },
          'Длина (24 бита)',
          `${header.length} байт полезной нагрузки`,
        ),
        ru({ kind: 'h2-type', label: 'Type (8 bits)', value: typeValue, range: { start: start + 3, end: start + 4 } }, 'Тип (8 бит)'),
        ru(
          {
            kind: 'h2-flags',
            label: 'Flags (8 bits)',
            value: flagsValue,
            range: { start: start + 4, end: start + 5 },
            children: flags.map(([bit, name]) => {
              const on = (header.flags & bit) !== 0;
              return ru(
                { kind: 'h2-flag', label: `${name} (0x${bit.toString(16)})`, value: on ? 'set' : 'not set', range: { start: start + 4, end: start + 5 } },
                `${name} (0x${bit.toString(16)})`,
                on ? 'установлен' : 'не установлен',
              );
            }),
          },
          'Флаги (8 бит)',
        ),
        ru(
          {
            kind: 'h2-stream-id',
            label: 'R bit + stream identifier (1 + 31 bits)',
            value: `R=${header.reserved ? 1 : 0}, stream ${header.streamId}${header.streamId === 0 ? ' (the connection itself)' : ''}`,
            range: { start: start + 5, end: start + 9 },
            ...(header.reserved ? { error: 'reserved-bit-set' } : {}),
          },
          'Бит R + идентификатор потока (1 + 31 бит)',
          `R=${header.reserved ? 1 : 0}, поток ${header.streamId}${header.streamId === 0 ? ' (всё соединение)' : ''}`,
        ),
      ],
    },
    'Заголовок кадра (9 байт)',
  );
}

export function errorCodeNode(code: number, start: number): WireNode {
  const known = code < ERROR_CODES.length;
  const head = `0x${code.toString(16)} ${errorCodeName(code)}`;
  return ru(
    { kind: 'h2-error-code', label: 'Error code (32 bits)', value: `${head}${known ? `: ${ERROR_MEANINGS[code]}` : ''}`, range: { start, end: start + 4 } },
    'Код ошибки (32 бита)',
    `${head}${known ? `: ${ERROR_MEANINGS_RU[code]}` : ''}`,
  );
}

export function settingNode(identifier: number, value: number, start: number): WireNode {
  const name = settingName(identifier);
  return ru(
    {
      kind: 'h2-setting',
      label: `SETTINGS_${name}`,
      value: `${value}${SETTINGS_MEANINGS[identifier] ? ` — ${SETTINGS_MEANINGS[identifier][0]}` : ''}`,
      range: { start, end: start + 6 },
      children: [
        ru(
          { kind: 'h2-setting-id', label: 'Identifier (16 bits)', value: `0x${identifier.toString(16)} ${name}`, range: { start, end: start + 2 } },
          'Идентификатор (16 бит)',
        ),
        ru({ kind: 'h2-setting-value', label: 'Value (32 bits)', value: String(value), range: { start: start + 2, end: start + 6 } }, 'Значение (32 бита)'),
      ],
    },
    `SETTINGS_${name}`,
    `${value}${SETTINGS_MEANINGS[identifier] ? ` — ${SETTINGS_MEANINGS[identifier][1]}` : ''}`,
  );
}

export function settingName(identifier: number): string {
  return SETTINGS_NAMES[identifier] ?? `UNKNOWN_0x${identifier.toString(16)}`;
}

export function hexOf(bytes: Uint8Array, max = 32): string {
  const shown = Array.from(bytes.subarray(0, max), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > max ? `${shown} …` : shown;
}
