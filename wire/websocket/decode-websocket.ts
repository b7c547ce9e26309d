import { markUnmasked } from '../masked-bytes.ts';
import { collectMarkedMessages } from '../message-marks.ts';
import { chunkedOffsets, decodePayload, type PayloadContext } from '../payload-layers.ts';
import type { ByteStream } from '../stream-assembler.ts';
import type { ByteRange, DecodedConnection, HttpExchange, MaskedPayload, WireMessage, WireNode } from '../types.ts';
import { ru, ruSummary } from '../node-text.ts';
import { closeCodeName, closeCodeOf, closeReasonBytes, closeCodeText, isSendableCloseCode } from './close-codes.ts';
import { OPCODE_NAMES, opcodeName } from './opcodes.ts';
import { type FrameHead, readFrameHead } from './frame-head.ts';
import { frameHeadNodes, hex } from './frame-head-nodes.ts';
import { annotateHandshake, readWebSocketHandshake, type WebSocketHandshake } from './websocket-handshake.ts';

export { OPCODE_NAMES, opcodeName } from './opcodes.ts';

/** One frame as it crossed the wire. */
export interface WebSocketFrame {
  dir: 'in' | 'out';
  /** header and payload */
  range: ByteRange;
  payloadRange: ByteRange;
  /** ms epoch when the frame's first byte crossed */
  at: number;
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  /** 'text', 'binary', 'continuation', 'close', 'ping', 'pong' or 'reserved-0x3'… */
  opcodeName: string;
  masked: boolean;
  maskingKey?: Uint8Array;
  /** payload length */
  length: number;
  /** how the length was written: in the 7 bits of byte 1, or in 16 or 64 extra bits */
  lengthBits: 7 | 16 | 64;
  /** the payload as sent (masked when `masked`) */
  rawPayload: Uint8Array;
  /** the payload after removing the mask */
  payload: Uint8Array;
  closeCode?: number;
  closeReason?: string;
  /** protocol violations, stable English codes */
  errors: string[];
  tree: WireNode;
}

/** A text or binary message: one frame, or a first frame and its continuations. */
export interface WebSocketMessage {
  dir: 'in' | 'out';
  type: 'text' | 'binary';
  frames: WebSocketFrame[];
  payload: Uint8Array;
  /** the text of a text message */
  text?: string;
  /** RSV1 on the first frame with permessage-deflate negotiated: the payload is compressed */
  compressed: boolean;
  node: WireNode;
}

export interface ReadFramesOptions {
  dir: 'in' | 'out';
  /** frames from the client must be masked, frames from the server must not (RFC 6455 §5.1) */
  expectMasked: boolean;
  /** permessage-deflate was negotiated: RSV1 may be set on a message's first frame */
  deflate?: boolean;
  /** where the reassembled messages' payloads go next (wire/payload-layers.ts) */
  payloadContext?: Omit<PayloadContext, 'carrier' | 'complete' | 'contentType'>;
}

export interface ReadFramesResult {
  frames: WebSocketFrame[];
  messages: WebSocketMessage[];
  /** bytes that are not (yet) a whole frame, bytes after a hole in the recording */
  notes: WireNode[];
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8');
const PREVIEW_CHARS = 120;
const PREVIEW_BYTES = 24;

/**
 * Reads every frame of one direction of a WebSocket connection, from `start` (the first byte
 * after the handshake). Frames split across chunks are whole here: the stream is already
 * assembled. A hole in the recording ends the reading: WebSocket frames carry no marker to find
 * the next frame again, so the rest is shown as a note instead of guessed at.
 */
export function readWebSocketFrames(stream: ByteStream, start: number, options: ReadFramesOptions): ReadFramesResult {
  const frames: WebSocketFrame[] = [];
  const messages: WebSocketMessage[] = [];
  const notes: WireNode[] = [];
  const segmentIndex = stream.segments.findIndex((segment) => start >= segment.start && start < segment.start + segment.bytes.length);
  if (segmentIndex === -1) {
    const later = stream.segments.find((segment) => segment.start > start);
    if (later) notes.push(gapNote(later.start, stream.end));
    return { frames, messages, notes };
  }
  const segment = stream.segments[segmentIndex];
  const bytes = segment.bytes;
  const base = segment.start;
  const segmentEnd = base + bytes.length;
  const isLastSegment = segmentIndex === stream.segments.length - 1;

  let pending: { type: 'text' | 'binary'; frames: WebSocketFrame[]; compressed: boolean } | null = null;
  let closed = false;
  let position = start;
  while (position < segmentEnd) {
    const header = readFrameHead(bytes, position - base);
    if (!header || position + header.headerLength + header.length > segmentEnd) {
      const wanted = header ? header.headerLength + header.length : undefined;
      const truncated = !isLastSegment || stream.ended;
      const have = segmentEnd - position;
      notes.push(
        ru(
          {
            kind: 'ws-pending',
            label: truncated ? 'Frame cut short' : 'Frame still arriving',
            value: wanted !== undefined ? `${have} of ${wanted} bytes` : `${have} bytes of a frame header`,
            range: { start: position, end: segmentEnd },
            ...(truncated ? { error: isLastSegment ? 'truncated' : 'gap-in-frame' } : {}),
          },
          truncated ? 'Кадр оборван' : 'Кадр ещё приходит',
          wanted !== undefined ? `${have} Б из ${wanted}` : `${have} Б заголовка кадра`,
        ),
      );
      break;
    }
    const frame = buildFrame(stream, bytes, base, position, header, options);
    if (closed) frame.errors.push('frame-after-close');
    if (frame.opcode === 0x8) closed = true;

    // Reassembly (RFC 6455 §5.4): control frames may come between the fragments of a message.
    if (frame.opcode === 0x1 || frame.opcode === 0x2) {
      if (pending) frame.errors.push('expected-continuation');
      const type = frame.opcode === 0x1 ? 'text' : 'binary';
      const compressed = Boolean(options.deflate && frame.rsv1);
      pending = { type, frames: [frame], compressed };
    } else if (frame.opcode === 0x0) {
      if (pending) pending.frames.push(frame);
      else frame.errors.push('unexpected-continuation');
    }
    if (pending && frame.fin && pending.frames[pending.frames.length - 1] === frame) {
      const message = assembleMessage(options, pending.type, pending.frames, pending.compressed);
      frame.tree.children!.push(message.node);
      messages.push(message);
      pending = null;
    }
    if (frame.errors.length > 0) frame.tree.error = frame.errors.join(', ');
    frames.push(frame);
    position = frame.range.end;
  }
  if (position >= segmentEnd && pending && (!isLastSegment || stream.ended)) {
    const last = pending.frames[pending.frames.length - 1];
    last.errors.push('message-unfinished');
    last.tree.error = last.errors.join(', ');
  }
  if (!isLastSegment) notes.push(gapNote(stream.segments[segmentIndex + 1].start, stream.end));
  return { frames, messages, notes };
}

/** What the frame's head breaks (RFC 6455 §5.2, §5.1, §5.5), as stable English codes. */
function frameHeadErrors(header: FrameHead, options: ReadFramesOptions): string[] {
  const { fin, rsv1, rsv2, rsv3, opcode, masked, length, lengthBits } = header;
  const isControl = opcode >= 0x8;
  const errors: string[] = [];
  if (!(opcode in OPCODE_NAMES)) errors.push('reserved-opcode');
  if (masked !== options.expectMasked) errors.push(options.expectMasked ? 'unmasked-client-frame' : 'masked-server-frame');
  if (isControl && length > 125) errors.push('control-frame-too-long');
  if (isControl && !fin) errors.push('fragmented-control-frame');
  if ((rsv1 && !(options.deflate && (opcode === 0x1 || opcode === 0x2))) || rsv2 || rsv3) errors.push('rsv-without-extension');
  if ((lengthBits === 16 && length < 126) || (lengthBits === 64 && length <= 0xffff)) errors.push('non-minimal-length');
  if (header.lengthTooLarge) errors.push('length-too-large');
  return errors;
}

function buildFrame(stream: ByteStream, bytes: Uint8Array, base: number, position: number, header: FrameHead, options: ReadFramesOptions): WebSocketFrame {
  const local = position - base;
  const { fin, rsv1, rsv2, rsv3, opcode, masked, length, lengthBits, headerLength } = header;
  const name = opcodeName(opcode);
  const errors = frameHeadErrors(header, options);
  const keyStart = local + headerLength - (masked ? 4 : 0);
  const maskingKey = masked ? bytes.slice(keyStart, keyStart + 4) : undefined;
  const payloadStart = position + headerLength;
  const rawPayload = bytes.subarray(local + headerLength, local + headerLength + length);
  const payload = maskingKey ? unmask(rawPayload, maskingKey) : rawPayload;
  const range = { start: position, end: payloadStart + length };
  const payloadRange = { start: payloadStart, end: range.end };

  const frame: WebSocketFrame = {
    dir: options.dir,
    range,
    payloadRange,
    at: stream.timeAt(position),
    fin,
    rsv1,
    rsv2,
    rsv3,
    opcode,
    opcodeName: name,
    masked,
    ...(maskingKey ? { maskingKey } : {}),
    length,
    lengthBits,
    rawPayload,
    payload,
    errors,
    tree: { kind: 'ws-frame', label: '', range },
  };

  const children = frameHeadNodes(bytes, local, position, header, name, Boolean(options.deflate));
  if (length > 0) children.push(payloadNode(frame));
  frame.tree.children = children;
  frame.tree.label = `${name} frame${fin ? '' : ' (FIN=0)'}`;
  frame.tree.value = frameSummary(frame);
  ru(frame.tree, `кадр ${name}${fin ? '' : ' (FIN=0)'}`, frameSummaryRu(frame));
  return frame;
}

/** The payload: masked bytes and their unmasked meaning; a close frame's code and reason. */
function payloadNode(frame: WebSocketFrame): WireNode {
  const { payloadRange, masked, payload, rawPayload, opcode } = frame;
  const children: WireNode[] = [];
  if (masked) {
    children.push(
      ru(
        {
          kind: 'ws-unmasked',
          label: 'unmasked (each byte XOR masking key[i mod 4])',
          value: preview(payload, opcode === 0x1),
          range: payloadRange,
          unmasked: true,
        },
        'без маски (каждый байт XOR ключ маски[i mod 4])',
      ),
    );
  }
  if (opcode === 0x8) {
    if (payload.length === 1) frame.errors.push('close-payload-1-byte');
    if (payload.length >= 2) {
      const code = closeCodeOf(payload)!;
      frame.closeCode = code;
      if (!isSendableCloseCode(code)) frame.errors.push('invalid-close-code');
      const name = closeCodeText(code);
      children.push(
        ru(
          {
            kind: 'ws-close-code',
            label: 'close code',
            value: `${code} ${name.en}`,
            range: { start: payloadRange.start, end: payloadRange.start + 2 },
            ...(isSendableCloseCode(code) ? {} : { error: 'invalid-close-code' }),
            ...(masked ? { unmasked: true as const } : {}),
          },
          'код закрытия',
          `${code} ${name.ru}`,
        ),
      );
      const reasonBytes = closeReasonBytes(payload);
      let reason: string;
      try {
        reason = utf8Strict.decode(reasonBytes);
      } catch {
        reason = utf8Lenient.decode(reasonBytes);
        frame.errors.push('invalid-utf8');
      }
      frame.closeReason = reason;
      if (reasonBytes.length > 0) {
        children.push(
          ru(
            {
              kind: 'ws-close-reason',
              label: 'reason (UTF-8)',
              value: reason,
              range: { start: payloadRange.start + 2, end: payloadRange.end },
              ...(masked ? { unmasked: true as const } : {}),
            },
            'причина (UTF-8)',
          ),
        );
      }
    }
  }
  return ru(
    {
      kind: 'ws-payload',
      label: masked ? `payload, masked (${payload.length} B)` : `payload (${payload.length} B)`,
      value: masked ? hexPreview(rawPayload) : preview(payload, opcode === 0x1),
      range: payloadRange,
      children,
    },
    masked ? `полезная нагрузка с маской (${payload.length} Б)` : `полезная нагрузка (${payload.length} Б)`,
  );
}

function assembleMessage(options: ReadFramesOptions, type: 'text' | 'binary', frames: WebSocketFrame[], compressed: boolean): WebSocketMessage {
  const total = frames.reduce((sum, frame) => sum + frame.payload.length, 0);
  const payload = new Uint8Array(total);
  let at = 0;
  for (const frame of frames) {
    payload.set(frame.payload, at);
    at += frame.payload.length;
  }
  const first = frames[0];
  const last = frames[frames.length - 1];
  const range = { start: first.payloadRange.start, end: last.payloadRange.end };
  let text: string | undefined;
  let error: string | undefined;
  if (type === 'text' && !compressed) {
    try {
      text = utf8Strict.decode(payload);
    } catch {
      text = utf8Lenient.decode(payload);
      error = 'invalid-utf8';
      last.errors.push('invalid-utf8');
    }
  }
  const value = compressed ? 'compressed (permessage-deflate): not inflated here' : text !== undefined ? clip(text) : hexPreview(payload);
  const typeRu = type === 'text' ? 'текстовое' : 'двоичное';
  const node: WireNode = ru(
    {
      kind: 'ws-message',
      label: frames.length > 1 ? `${type} message, reassembled from ${frames.length} frames (${total} B)` : `${type} message (${total} B)`,
      value,
      range,
      ...(error ? { error } : {}),
    },
    frames.length > 1 ? `${typeRu} сообщение, собрано из ${frames.length} кадров (${total} Б)` : `${typeRu} сообщение (${total} Б)`,
    compressed ? 'сжато (permessage-deflate): здесь не распаковывается' : value,
  );
  const message: WebSocketMessage = { dir: options.dir, type, frames, payload, ...(text !== undefined ? { text } : {}), compressed, node };
  if (!compressed && options.payloadContext) {
    const context: PayloadContext = {
      ...options.payloadContext,
      carrier: 'ws-message',
      // RFC 6455 has no Content-Type; the opcode is the only type information there is.
      contentType: type === 'text' ? 'text/plain; charset=utf-8' : 'application/octet-stream',
      complete: true,
    };
    const offsets = chunkedOffsets(frames.map((frame) => frame.payloadRange));
    const layered = decodePayload(payload, offsets, context);
    if (layered.length > 0) node.children = layered;
  }
  // What the message and the layers inside read is the unmasked payload, not the wire's bytes.
  if (frames.some((frame) => frame.masked)) markUnmasked(node);
  return message;
}

/** The frame's one line in Russian: the same facts as frameSummary. */
function frameSummaryRu(frame: WebSocketFrame): string {
  const parts = [frame.opcodeName];
  if (frame.closeCode !== undefined) parts.push(`${frame.closeCode} ${closeCodeText(frame.closeCode).ru}`);
  if (!frame.fin) parts.push('FIN=0');
  parts.push(`${frame.length} Б`);
  if (frame.masked) parts.push('с маской');
  if (frame.lengthBits !== 7) parts.push(`длина в ${frame.lengthBits} битах`);
  return parts.join(' · ');
}

function frameSummary(frame: WebSocketFrame): string {
  const parts = [frame.opcodeName];
  if (frame.closeCode !== undefined) parts.push(`${frame.closeCode} ${closeCodeName(frame.closeCode)}`);
  if (!frame.fin) parts.push('FIN=0');
  parts.push(`${frame.length} B`);
  if (frame.masked) parts.push('masked');
  if (frame.lengthBits !== 7) parts.push(`${frame.lengthBits}-bit length`);
  return parts.join(' · ');
}

/** The frame as a WireMessage (layer 'ws-frame'), fields as documented in README.md. */
export function frameMessage(conn: string, frame: WebSocketFrame, group?: string): WireMessage {
  const fields: Record<string, string | number | boolean> = {
    opcode: frame.opcodeName,
    fin: frame.fin,
    masked: frame.masked,
    length: frame.length,
    lengthBits: frame.lengthBits,
  };
  if (frame.rsv1) fields.rsv1 = true;
  if (frame.closeCode !== undefined) fields.closeCode = frame.closeCode;
  if (frame.closeReason !== undefined && frame.closeReason !== '') fields.closeReason = frame.closeReason;
  if (frame.errors.length > 0) fields.error = frame.errors.join(',');
  let summary = frame.tree.value ?? frame.opcodeName;
  let summaryRu = frameSummaryRu(frame);
  const message = frame.tree.children?.find((child) => child.kind === 'ws-message');
  if (message?.value && (frame.opcode === 0x1 || frame.opcode === 0x0)) {
    summary += ` · ${clip(message.value, 60)}`;
    summaryRu += ` · ${clip(message.value, 60)}`;
  }
  ruSummary(frame.tree, summaryRu);
  return {
    conn,
    index: 0,
    dir: frame.dir,
    layer: 'ws-frame',
    summary,
    at: frame.at,
    range: frame.range,
    tree: frame.tree,
    ...(group !== undefined ? { group } : {}),
    fields,
  };
}

export interface WebSocketConnectionResult {
  handshake: WebSocketHandshake;
  inbound: ReadFramesResult;
  outbound: ReadFramesResult;
  /** 'ws-frame' messages and whatever the payload layers marked inside them, not yet numbered */
  messages: WireMessage[];
  notes: DecodedConnection['notes'];
  /** the masked payloads of each direction's frames, in stream order */
  masks: { in: MaskedPayload[]; out: MaskedPayload[] };
}

/**
 * Decodes the WebSocket that `exchange` upgraded to: checks the handshake (and annotates the
 * response tree with the Sec-WebSocket-Accept check), then reads both directions' frames.
 */
export function decodeWebSocketConnection(exchange: HttpExchange, streams: { in: ByteStream; out: ByteStream }): WebSocketConnectionResult {
  const upgrade = exchange.upgrade!;
  const handshake = readWebSocketHandshake(exchange);
  annotateHandshake(exchange, handshake);
  const payloadContext = {
    path: exchange.request.path,
    ...(handshake.subprotocol ? { subprotocol: handshake.subprotocol } : {}),
    headers: exchange.response?.headers,
    requestHeaders: exchange.request.headers,
  };
  const inbound = readWebSocketFrames(streams.in, upgrade.inboundOffset, { dir: 'in', expectMasked: true, deflate: handshake.deflate, payloadContext });
  const outbound = readWebSocketFrames(streams.out, upgrade.outboundOffset, { dir: 'out', expectMasked: false, deflate: handshake.deflate, payloadContext });
  const group = `websocket ${exchange.index}`;
  const messages: WireMessage[] = [];
  for (const [result, stream] of [
    [inbound, streams.in],
    [outbound, streams.out],
  ] as const) {
    for (const frame of result.frames) {
      messages.push(frameMessage(exchange.conn, frame, group));
      for (const child of frame.tree.children ?? []) {
        if (child.kind === 'ws-message') messages.push(...collectMarkedMessages(child, exchange.conn, frame.dir, stream));
      }
    }
  }
  const notes: DecodedConnection['notes'] = [
    ...inbound.notes.map((node) => ({ dir: 'in' as const, node })),
    ...outbound.notes.map((node) => ({ dir: 'out' as const, node })),
  ];
  return { handshake, inbound, outbound, messages, notes, masks: { in: masksOf(inbound.frames), out: masksOf(outbound.frames) } };
}

function masksOf(frames: readonly WebSocketFrame[]): MaskedPayload[] {
  return frames.filter((frame) => frame.maskingKey && frame.length > 0).map((frame) => ({ range: frame.payloadRange, key: frame.maskingKey! }));
}

function gapNote(start: number, end: number): WireNode {
  return ru(
    {
      kind: 'ws-after-gap',
      label: 'Bytes after a gap in the recording',
      value: `${end - start} bytes: WebSocket frames have no marker to find the next frame again, so these are not decoded`,
      range: { start, end },
      error: 'after-gap',
    },
    'Байты после пропуска в записи',
    `${end - start} Б: у кадров WebSocket нет метки, по которой нашёлся бы следующий кадр, поэтому они не разобраны`,
  );
}

function unmask(payload: Uint8Array, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length);
  for (let index = 0; index < payload.length; index += 1) out[index] = payload[index] ^ key[index & 3];
  return out;
}

function hexPreview(bytes: Uint8Array): string {
  return bytes.length > PREVIEW_BYTES ? `${hex(bytes.subarray(0, PREVIEW_BYTES))} …` : hex(bytes);
}

function preview(bytes: Uint8Array, isText: boolean): string {
  if (!isText) return hexPreview(bytes);
  return clip(utf8Lenient.decode(bytes));
}

function clip(text: string, chars = PREVIEW_CHARS): string {
  return text.length > chars ? `${text.slice(0, chars)}…` : text;
}
