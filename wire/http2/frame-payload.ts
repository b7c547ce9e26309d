import { ru } from '../node-text.ts';
import type { WireNode } from '../types.ts';
import { errorCodeName, errorCodeNode, frameTypeName, hexOf, readUint31, readUint32, settingName, settingNode, type FrameHeader } from './frames.ts';

// One HTTP/2 frame's payload (RFC 9113 §6), read into nodes, facts, a summary and the violations it
// holds: one function per frame type, the ones carrying data or a header block fragment together.

/** SETTINGS, PING and GOAWAY concern the connection: stream 0 only (RFC 9113 §6.5, §6.7, §6.8). */
export const FRAMES_ON_CONNECTION = new Set([0x4, 0x6, 0x7]);

/** A frame's one-line summary, built in both languages at once. */
export class Summary {
  readonly en: string[] = [];
  readonly ru: string[] = [];
  add(en: string, ru = en): void {
    this.en.push(en);
    this.ru.push(ru);
  }
}

type Facts = Record<string, string | number | boolean>;

/** What reading one payload writes to: the frame's children, facts, summary and errors. */
interface PayloadReading {
  header: FrameHeader;
  payload: Uint8Array;
  payloadStart: number;
  children: WireNode[];
  fields: Facts;
  summary: Summary;
  errors: string[];
}

export function describePayload(
  header: FrameHeader,
  payload: Uint8Array,
  payloadStart: number,
  children: WireNode[],
  fields: Facts,
  summary: Summary,
  errors: string[],
): void {
  const type = header.type;
  const onConnection = FRAMES_ON_CONNECTION.has(type);
  if (onConnection && header.streamId !== 0) errors.push('must-be-on-stream-0');
  if (!onConnection && type !== 0x8 && type <= 0x9 && header.streamId === 0) errors.push('must-not-be-on-stream-0');
  const describe = PAYLOAD_READERS[type] ?? describeUnknownType;
  describe({ header, payload, payloadStart, children, fields, summary, errors });
}

const PAYLOAD_READERS: Record<number, (reading: PayloadReading) => void> = {
  0x0: describeContent,
  0x1: describeContent,
  0x2: describePriority,
  0x3: describeRstStream,
  0x4: describeSettings,
  0x5: describeContent,
  0x6: describePing,
  0x7: describeGoaway,
  0x8: describeWindowUpdate,
  0x9: describeContent,
};

function at(reading: PayloadReading, offset: number): number {
  return reading.payloadStart + offset;
}

/** RFC 9113 §4.2: a payload shorter than its type's fixed fields is a FRAME_SIZE_ERROR. */
function needs(reading: PayloadReading, bytes: number): boolean {
  const { payload } = reading;
  if (payload.length >= bytes) return true;
  reading.errors.push('frame-size-error');
  reading.children.push(
    ru(
      {
        kind: 'h2-payload',
        label: 'Payload too short for this frame type',
        value: hexOf(payload),
        range: { start: at(reading, 0), end: at(reading, payload.length) },
        error: 'frame-size-error',
      },
      'Полезная нагрузка слишком коротка для кадра этого типа',
    ),
  );
  return false;
}

/** DATA, HEADERS, PUSH_PROMISE and CONTINUATION: padding, priority, a promised stream, then the content. */
function describeContent(reading: PayloadReading): void {
  const { header, payload, payloadStart, children, fields, summary, errors } = reading;
  const type = header.type;
  const length = payload.length;
  const content = contentRange(header, payload, payloadStart);
  let offset = 0;
  if (header.flags & 0x8 && type !== 0x9) {
    if (!needs(reading, 1)) return;
    children.push(
      ru(
        {
          kind: 'h2-pad-length',
          label: 'Pad length (8 bits)',
          value: `${content.pad} bytes of padding at the end`,
          range: { start: at(reading, 0), end: at(reading, 1) },
        },
        'Длина заполнения (8 бит)',
        `${content.pad} байт заполнения в конце`,
      ),
    );
    fields.padLength = content.pad;
    offset = 1;
    if (content.pad > length - 1) errors.push('padding-too-long');
  }
  if (type === 0x1 && header.flags & 0x20) {
    if (!needs(reading, offset + 5)) return;
    children.push(priorityNode(payload, offset, at(reading, offset), fields));
    offset += 5;
  }
  if (type === 0x5) {
    if (!needs(reading, offset + 4)) return;
    const promised = readUint31(payload, offset);
    fields.promisedStreamId = promised;
    summary.add(`promises stream ${promised}`, `обещает поток ${promised}`);
    children.push(
      ru(
        {
          kind: 'h2-promised-stream',
          label: 'R bit + promised stream identifier',
          value: `stream ${promised}: the server will answer this request without being asked`,
          range: { start: at(reading, offset), end: at(reading, offset + 4) },
        },
        'Бит R + идентификатор обещанного потока',
        `поток ${promised}: сервер ответит на этот запрос, хотя его никто не отправлял`,
      ),
    );
  }
  const contentLength = content.end - content.start;
  if (type === 0x0) {
    const data = payload.subarray(content.start - payloadStart, content.end - payloadStart);
    fields.dataLength = contentLength;
    summary.add(`${contentLength} B`, `${contentLength} Б`);
    children.push(ru({ kind: 'h2-data', label: 'Data', value: preview(data), range: { start: content.start, end: content.end } }, 'Данные'));
  } else {
    children.push(
      ru(
        {
          kind: 'hpack-block',
          label: 'Header block fragment (HPACK)',
          value: `${contentLength} bytes`,
          range: { start: content.start, end: content.end },
          children: [],
        },
        'Фрагмент блока заголовков (HPACK)',
        `${contentLength} байт`,
      ),
    );
  }
  if (content.pad > 0 && content.pad <= length - 1) {
    children.push(
      ru(
        {
          kind: 'h2-padding',
          label: 'Padding',
          value: `${content.pad} bytes (zeros, they hide the real length)`,
          range: { start: content.end, end: at(reading, length) },
        },
        'Заполнение',
        `${content.pad} байт (нули, скрывают настоящую длину)`,
      ),
    );
  }
}

function describePriority(reading: PayloadReading): void {
  const { header, payload, children, fields, summary, errors } = reading;
  if (header.length !== 5) errors.push('frame-size-error');
  if (needs(reading, 5)) children.push(priorityNode(payload, 0, at(reading, 0), fields));
  summary.add(`depends on ${fields.dependency}, weight ${fields.weight}`, `зависит от ${fields.dependency}, вес ${fields.weight}`);
}

function describeRstStream(reading: PayloadReading): void {
  const { header, payload, children, fields, summary, errors } = reading;
  if (header.length !== 4) errors.push('frame-size-error');
  if (!needs(reading, 4)) return;
  const code = readUint32(payload, 0);
  fields.errorCode = errorCodeName(code);
  summary.add(errorCodeName(code));
  children.push(errorCodeNode(code, at(reading, 0)));
}

function describeSettings(reading: PayloadReading): void {
  const { header, payload, children, fields, summary, errors } = reading;
  const length = payload.length;
  if (header.flags & 0x1) {
    summary.add('ACK');
    if (length !== 0) errors.push('frame-size-error');
    return;
  }
  if (length % 6 !== 0) errors.push('frame-size-error');
  const described: string[] = [];
  for (let offset = 0; offset + 6 <= length; offset += 6) {
    const identifier = (payload[offset] << 8) | payload[offset + 1];
    const value = readUint32(payload, offset + 2);
    fields[`SETTINGS_${settingName(identifier)}`] = value;
    described.push(`${settingName(identifier)}=${value}`);
    children.push(settingNode(identifier, value, at(reading, offset)));
  }
  fields.settingsCount = described.length;
  summary.add(
    described.length > 0 ? described.join(', ') : 'no parameters (defaults)',
    described.length > 0 ? described.join(', ') : 'без параметров (значения по умолчанию)',
  );
}

function describePing(reading: PayloadReading): void {
  const { header, payload, children, fields, summary, errors } = reading;
  const length = payload.length;
  if (length !== 8) errors.push('frame-size-error');
  const data = payload.subarray(0, 8);
  const ack = (header.flags & 0x1) !== 0;
  fields.opaqueData = hexOf(data);
  if (ack) summary.add('ACK');
  summary.add(hexOf(data));
  const shown = `${hexOf(data)}${printable(data) ? ` "${latin1(data)}"` : ''}`;
  children.push(
    ru(
      {
        kind: 'h2-ping-data',
        label: 'Opaque data (8 bytes)',
        value: `${shown}${ack ? ' — echoed back by the ACK' : ' — the ACK must echo it'}`,
        range: { start: at(reading, 0), end: at(reading, length) },
      },
      'Непрозрачные данные (8 байт)',
      `${shown}${ack ? ' — возвращены в ответе ACK' : ' — ответ ACK должен их повторить'}`,
    ),
  );
}

function describeGoaway(reading: PayloadReading): void {
  const { payload, children, fields, summary } = reading;
  const length = payload.length;
  if (!needs(reading, 8)) return;
  const lastStream = readUint31(payload, 0);
  const code = readUint32(payload, 4);
  fields.lastStreamId = lastStream;
  fields.errorCode = errorCodeName(code);
  summary.add(`last stream ${lastStream}`, `последний поток ${lastStream}`);
  summary.add(errorCodeName(code));
  children.push(
    ru(
      {
        kind: 'h2-last-stream',
        label: 'R bit + last stream identifier',
        value: `${lastStream}: streams above it were not processed and may be retried elsewhere`,
        range: { start: at(reading, 0), end: at(reading, 4) },
      },
      'Бит R + идентификатор последнего потока',
      `${lastStream}: потоки с бо́льшими номерами не обрабатывались, их можно повторить в другом соединении`,
    ),
  );
  children.push(errorCodeNode(code, at(reading, 4)));
  if (length > 8) {
    const debug = payload.subarray(8);
    fields.debugData = textOrHex(debug);
    children.push(
      ru(
        { kind: 'h2-debug-data', label: 'Additional debug data', value: textOrHex(debug), range: { start: at(reading, 8), end: at(reading, length) } },
        'Дополнительные отладочные данные',
      ),
    );
  }
}

function describeWindowUpdate(reading: PayloadReading): void {
  const { header, payload, children, fields, summary, errors } = reading;
  if (header.length !== 4) errors.push('frame-size-error');
  if (!needs(reading, 4)) return;
  const increment = readUint31(payload, 0);
  fields.increment = increment;
  summary.add(`+${increment}`);
  if (increment === 0) errors.push('zero-increment');
  const where = header.streamId === 0 ? ['on the whole connection', 'по всему соединению'] : [`on stream ${header.streamId}`, `в потоке ${header.streamId}`];
  children.push(
    ru(
      {
        kind: 'h2-window-increment',
        label: 'R bit + window size increment (31 bits)',
        value: `${increment} more bytes may be sent ${where[0]}`,
        range: { start: at(reading, 0), end: at(reading, 4) },
      },
      'Бит R + прирост окна (31 бит)',
      `можно отправить ещё ${increment} байт ${where[1]}`,
    ),
  );
}

/** RFC 9113 §5.5: frames of unknown types are ignored, so their payload is shown, not read. */
function describeUnknownType(reading: PayloadReading): void {
  const { header, payload, children } = reading;
  if (payload.length === 0) return;
  const name = frameTypeName(header.type);
  children.push(
    ru(
      {
        kind: 'h2-payload',
        label: `Payload of a ${name} frame (not decoded; unknown types must be ignored)`,
        value: hexOf(payload),
        range: { start: at(reading, 0), end: at(reading, payload.length) },
      },
      `Полезная нагрузка кадра ${name} (не разбирается: кадры неизвестных типов положено пропускать)`,
    ),
  );
}

/** Where the frame's data (DATA) or header block fragment lies, without padding and priority. */
export function contentRange(header: FrameHeader, payload: Uint8Array, payloadStart: number): { start: number; end: number; pad: number } {
  let start = 0;
  let pad = 0;
  if (header.flags & 0x8 && (header.type === 0x0 || header.type === 0x1 || header.type === 0x5)) {
    pad = payload[0] ?? 0;
    start = 1;
  }
  if (header.type === 0x1 && header.flags & 0x20) start += 5;
  if (header.type === 0x5) start += 4;
  // a payload too short for its fixed fields has no content (not one that ends past the frame)
  const contentStart = Math.min(start, payload.length);
  const end = Math.max(contentStart, payload.length - pad);
  return { start: payloadStart + contentStart, end: payloadStart + end, pad };
}

function priorityNode(payload: Uint8Array, offset: number, start: number, fields: Record<string, string | number | boolean>): WireNode {
  const exclusive = (payload[offset] & 0x80) !== 0;
  const dependency = readUint31(payload, offset);
  const weight = payload[offset + 4] + 1;
  fields.exclusive = exclusive;
  fields.dependency = dependency;
  fields.weight = weight;
  return ru(
    {
      kind: 'h2-priority',
      label: 'Priority (deprecated by RFC 9113)',
      value: `depends on stream ${dependency}${exclusive ? ' exclusively' : ''}, weight ${weight}`,
      range: { start, end: start + 5 },
      children: [
        ru(
          {
            kind: 'h2-stream-dependency',
            label: 'E bit + stream dependency (1 + 31 bits)',
            value: `E=${exclusive ? 1 : 0}, stream ${dependency}`,
            range: { start, end: start + 4 },
          },
          'Бит E + зависимость от потока (1 + 31 бит)',
          `E=${exclusive ? 1 : 0}, поток ${dependency}`,
        ),
        ru(
          { kind: 'h2-weight', label: 'Weight (8 bits, value + 1)', value: String(weight), range: { start: start + 4, end: start + 5 } },
          'Вес (8 бит, значение + 1)',
        ),
      ],
    },
    'Приоритет (устарел в RFC 9113)',
    `зависит от потока ${dependency}${exclusive ? ' исключительно' : ''}, вес ${weight}`,
  );
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function printable(bytes: Uint8Array): boolean {
  return bytes.every((byte) => byte >= 0x20 && byte < 0x7f);
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

function textOrHex(bytes: Uint8Array): string {
  // binary payloads (protobuf) are the common case: spot a control byte before asking the
  // strict decoder, whose exception would cost far more than the scan
  for (const byte of bytes) if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) return hexOf(bytes);
  try {
    const text = utf8.decode(bytes);
    if (!/[\u0000-\u0008\u000e-\u001f]/.test(text)) return text;
  } catch {
    // not UTF-8: show the bytes
  }
  return hexOf(bytes);
}

const PREVIEW_CHARS = 120;

export function preview(bytes: Uint8Array): string {
  const shown = textOrHex(bytes.subarray(0, PREVIEW_CHARS * 2));
  return shown.length > PREVIEW_CHARS ? `${shown.slice(0, PREVIEW_CHARS)}…` : shown;
}
