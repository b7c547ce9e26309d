import type { Bilingual } from '../../shared/bilingual.ts';
import { collectMarkedMessages, numberMessages } from '../message-marks.ts';
import { chunkedOffsets, decodePayload, type PayloadContext } from '../payload-layers.ts';
import type { ByteStream, StreamSegment } from '../stream-assembler.ts';
import type {
  ByteRange,
  CapturedConnection,
  DecodedConnection,
  HeaderList,
  HttpExchange,
  HttpRequestMessage,
  HttpResponseMessage,
  WireMessage,
  WireNode,
} from '../types.ts';
import { grpcStatusNode } from '../grpc/grpc-status.ts';
import { ru, ruSummary, russianSummaryOf } from '../node-text.ts';
import {
  CLIENT_PREFACE,
  FRAME_FLAGS,
  FRAME_HEADER_BYTES,
  errorCodeName,
  flagNames,
  frameHeaderNode,
  frameTypeName,
  hexOf,
  readFrameHeader,
  readUint31,
  readUint32,
  type FrameHeader,
} from './frames.ts';
import { contentRange, describePayload, FRAMES_ON_CONNECTION, preview, Summary } from './frame-payload.ts';
import { HpackDecoder, type HpackField } from './hpack.ts';

// The HTTP/2 connection decoder: the client preface, every frame of both directions as a
// WireMessage (layer 'h2-frame', grouped by stream), header blocks through one HPACK decoder per
// direction, and each client stream as an HttpExchange whose DATA goes through payload layers
// (gRPC, JSON…). See wire/README.md, "HTTP/2".

/** After a gap, how far into the next recorded bytes we look for a frame boundary. */
export const H2_RESYNC_SCAN_BYTES = 64 * 1024;
/** A boundary found after a gap counts when this many plausible frames follow it back to back. */
export const H2_RESYNC_CHAIN_FRAMES = 3;

type Dir = 'in' | 'out';

interface Frame {
  dir: Dir;
  header: FrameHeader;
  start: number;
  end: number;
  payload: Uint8Array;
  complete: boolean;
  message: WireMessage;
}

interface HeaderBlock {
  dir: Dir;
  streamId: number;
  fields: HpackField[];
  headers: HeaderList;
  endStream: boolean;
  frames: Frame[];
  /** the block could not be read (after a gap, a broken block) */
  error?: string;
}

interface DataPiece {
  frame: Frame;
  range: ByteRange;
  bytes: Uint8Array;
}

interface StreamState {
  id: number;
  request?: HeaderBlock;
  response?: HeaderBlock;
  interim: HeaderBlock[];
  trailers: { in?: HeaderBlock; out?: HeaderBlock };
  data: { in: DataPiece[]; out: DataPiece[] };
  frames: { in: Frame[]; out: Frame[] };
  ended: { in: boolean; out: boolean };
  resetCode?: number;
  pushed: boolean;
}

export function decodeHttp2Connection(connection: CapturedConnection, streams: { in: ByteStream; out: ByteStream }): DecodedConnection {
  const state = new Map<number, StreamState>();
  const streamOf = (id: number): StreamState => {
    let found = state.get(id);
    if (!found) {
      found = { id, interim: [], trailers: {}, data: { in: [], out: [] }, frames: { in: [], out: [] }, ended: { in: false, out: false }, pushed: false };
      state.set(id, found);
    }
    return found;
  };
  const messages: WireMessage[] = [];
  const notes: DecodedConnection['notes'] = [];
  for (const dir of ['in', 'out'] as const) {
    const read = readDirection(connection.id, streams[dir], dir, announcedSettings(streams[dir === 'in' ? 'out' : 'in'], dir === 'in' ? 'out' : 'in'));
    messages.push(...read.messages);
    for (const node of read.notes) notes.push({ dir, node });
    for (const frame of read.frames) {
      if (frame.header.streamId === 0) continue;
      const stream = streamOf(frame.header.streamId);
      stream.frames[dir].push(frame);
      if (!frame.complete) continue;
      if (frame.header.type === 0x0 && frame.message.tree.error !== 'frame-size-error') {
        const range = dataRange(frame);
        stream.data[dir].push({
          frame,
          range,
          bytes: frame.payload.subarray(range.start - frame.start - FRAME_HEADER_BYTES, range.end - frame.start - FRAME_HEADER_BYTES),
        });
        if (frame.header.flags & 0x1) stream.ended[dir] = true;
      } else if (frame.header.type === 0x3) {
        stream.resetCode = readUint32(frame.payload, 0);
        stream.ended.in = true;
        stream.ended.out = true;
      }
    }
    for (const block of read.blocks) {
      // a client cannot push (RFC 9113 §8.4): its PUSH_PROMISE is a protocol error, not a request
      if (block.frames[0].header.type === 0x5 && dir === 'in') continue;
      const promised = block.frames[0].header.type === 0x5 ? readUint31(block.frames[0].payload, padLengthOf(block.frames[0])) : undefined;
      if (promised !== undefined) {
        const pushedStream = streamOf(promised);
        pushedStream.pushed = true;
        pushedStream.request = { ...block, dir: 'in', streamId: promised };
        pushedStream.ended.in = true;
        continue;
      }
      const stream = streamOf(block.streamId);
      if (block.endStream) stream.ended[dir] = true;
      if (dir === 'in') {
        if (!stream.request) stream.request = block;
        else stream.trailers.in = block;
      } else {
        const status = Number(headerValue(block.headers, ':status'));
        if (!stream.response && status >= 100 && status < 200) stream.interim.push(block);
        else if (!stream.response) stream.response = block;
        else stream.trailers.out = block;
      }
      // gRPC status in trailers (or a trailers-only response): highlighted on the frame itself
      if (dir === 'out') {
        const statusNode = grpcStatusNode(block.fields, 'grpc', headerValue(state.get(block.streamId)?.request?.headers ?? [], ':path'));
        if (statusNode) {
          block.frames[0].message.tree.children!.push(statusNode);
          messages.push(
            ...collectMarkedMessages(statusNode, connection.id, 'out', streams.out).map((message) => ({ ...message, group: `stream ${block.streamId}` })),
          );
        }
      }
    }
  }

  const exchanges: HttpExchange[] = [];
  // in the order the requests began (a pushed stream when its PUSH_PROMISE came)
  const started = (stream: StreamState): number => timeOrLast(stream.request!.frames[0].message.at);
  for (const stream of [...state.values()].filter((candidate) => candidate.request).sort((a, b) => started(a) - started(b) || a.id - b.id)) {
    const exchange = buildExchange(connection, stream, streams, exchanges.length);
    exchanges.push(exchange.exchange);
    messages.push(...exchange.messages);
  }
  return { connection, exchanges, notes, messages: numberMessages(messages) };
}

function timeOrLast(at: number): number {
  return Number.isNaN(at) ? Number.MAX_VALUE : at;
}

// ---- one direction: preface, frames, header blocks ----------------------------------------

interface DirectionResult {
  frames: Frame[];
  blocks: HeaderBlock[];
  messages: WireMessage[];
  notes: WireNode[];
}

/** The limits each SETTINGS frame a direction sent announced, in order (absent: not in that frame). */
interface AnnouncedSettings {
  settings: Array<{ headerTableSize?: number; maxFrameSize?: number }>;
  /** false when a gap or a cut frame may hide later SETTINGS frames */
  complete: boolean;
}

/** The peer's SETTINGS frames, read frame header by frame header up to the first gap. */
function announcedSettings(stream: ByteStream, dir: Dir): AnnouncedSettings {
  const settings: AnnouncedSettings['settings'] = [];
  for (const segment of stream.segments) {
    if (segment.gapBefore) return { settings, complete: false };
    const bytes = segment.bytes;
    let position = 0;
    if (dir === 'in' && segment.start === 0) {
      if (bytes.length < CLIENT_PREFACE.length || CLIENT_PREFACE.some((byte, index) => bytes[index] !== byte)) return { settings, complete: false };
      position = CLIENT_PREFACE.length;
    }
    while (position + FRAME_HEADER_BYTES <= bytes.length) {
      const header = readFrameHeader(bytes, position);
      const payloadStart = position + FRAME_HEADER_BYTES;
      if (payloadStart + header.length > bytes.length) return { settings, complete: false };
      if (header.type === 0x4 && header.streamId === 0 && (header.flags & 0x1) === 0) {
        const announced: AnnouncedSettings['settings'][number] = {};
        for (let at = payloadStart; at + 6 <= payloadStart + header.length; at += 6) {
          const identifier = (bytes[at] << 8) | bytes[at + 1];
          if (identifier === 0x1) announced.headerTableSize = readUint32(bytes, at + 2);
          if (identifier === 0x5) announced.maxFrameSize = readUint32(bytes, at + 2);
        }
        settings.push(announced);
      }
      position = payloadStart + header.length;
    }
    if (position < bytes.length) return { settings, complete: false };
  }
  return { settings, complete: true };
}

function readDirection(conn: string, stream: ByteStream, dir: Dir, peer: AnnouncedSettings): DirectionResult {
  return new DirectionReader(conn, stream, dir, peer).read();
}

type BlockFragment = { range: ByteRange; bytes: Uint8Array; node: WireNode };

/** A header block being gathered: HEADERS or PUSH_PROMISE, then CONTINUATION until END_HEADERS. */
interface PendingBlock {
  streamId: number;
  frames: Frame[];
  fragments: BlockFragment[];
  endStream: boolean;
}

/** One direction's frames in order, with the HPACK state and the limits the peer's SETTINGS set. */
class DirectionReader {
  private readonly result: DirectionResult = { frames: [], blocks: [], messages: [], notes: [] };
  private readonly hpack = new HpackDecoder();
  // RFC 7541 §4.2 / RFC 9113 §6.5.3: a peer's limits apply once this side acknowledged its SETTINGS
  // (the largest frame this side may send: RFC 9113 §4.2, 16 384 until the peer allows more)
  private maxFrameSize = H2_DEFAULT_MAX_FRAME_SIZE;
  private acknowledged = 0;
  private pending: PendingBlock | null = null;

  constructor(
    private readonly conn: string,
    private readonly stream: ByteStream,
    private readonly dir: Dir,
    private readonly peer: AnnouncedSettings,
  ) {}

  read(): DirectionResult {
    for (const [index, segment] of this.stream.segments.entries()) {
      const position = this.startOf(segment, index);
      if (position !== undefined) this.readFrames(segment, index, position);
    }
    if (this.pending) this.finishBlock(false);
    return this.result;
  }

  private acknowledge(): void {
    this.acknowledged += 1;
    if (this.acknowledged <= this.peer.settings.length) {
      const announced = this.peer.settings[this.acknowledged - 1];
      if (announced.headerTableSize !== undefined) this.hpack.tableSizeLimit = announced.headerTableSize;
      if (announced.maxFrameSize !== undefined) this.maxFrameSize = Math.max(announced.maxFrameSize, H2_DEFAULT_MAX_FRAME_SIZE);
    } else if (!this.peer.complete) {
      this.hpack.tableSizeLimit = Number.POSITIVE_INFINITY;
      this.maxFrameSize = Number.POSITIVE_INFINITY;
    }
  }

  /** Where the segment's first frame starts: after the preface, or after a gap at the next frame boundary (undefined: none). */
  private startOf(segment: StreamSegment, index: number): number | undefined {
    if (segment.gapBefore) return this.resumeAfterGap(segment, index);
    if (this.dir !== 'in' || segment.start !== 0) return 0;
    const preface = readPreface(this.conn, this.stream, segment);
    if (preface.message) this.result.messages.push(preface.message);
    if (preface.note) this.result.notes.push(preface.note);
    return preface.length;
  }

  private resumeAfterGap(segment: StreamSegment, index: number): number | undefined {
    const { bytes } = segment;
    this.finishBlock(false);
    this.hpack.loseHistory();
    // the ACKs in the gap are unknown, so is the table size limit from now on
    this.hpack.tableSizeLimit = Number.POSITIVE_INFINITY;
    this.maxFrameSize = Number.POSITIVE_INFINITY;
    this.acknowledged = Number.POSITIVE_INFINITY;
    const boundary = findFrameBoundary(bytes, isLastSegment(this.stream, index) && !this.stream.ended);
    const skippedEnd = boundary ?? bytes.length;
    if (skippedEnd > 0) {
      const skipped: WireNode = {
        kind: 'skipped',
        label:
          boundary === undefined
            ? 'Bytes after a gap in the recording: no frame boundary found'
            : 'Bytes after a gap in the recording, before the next frame boundary',
        value: `${skippedEnd} bytes`,
        range: { start: segment.start, end: segment.start + skippedEnd },
        error: 'after-gap',
      };
      this.result.notes.push(
        ru(
          skipped,
          boundary === undefined ? 'Байты после пропуска в записи: граница кадра не найдена' : 'Байты после пропуска в записи, до следующей границы кадра',
          `${skippedEnd} байт`,
        ),
      );
    }
    return boundary;
  }

  private readFrames(segment: StreamSegment, index: number, from: number): void {
    const { bytes } = segment;
    let position = from;
    while (position < bytes.length) {
      const start = segment.start + position;
      if (position + FRAME_HEADER_BYTES > bytes.length) {
        this.result.notes.push(incompleteNote(this.stream, index, start, segment.start + bytes.length));
        return;
      }
      const header = readFrameHeader(bytes, position);
      const available = Math.min(header.length, bytes.length - position - FRAME_HEADER_BYTES);
      const payload = bytes.subarray(position + FRAME_HEADER_BYTES, position + FRAME_HEADER_BYTES + available);
      const frame = buildFrame(this.conn, this.stream, this.dir, header, start, payload);
      if (header.type === 0x5 && this.dir === 'in') markClientPush(frame);
      const tooLarge = header.length > this.maxFrameSize;
      if (frame.complete && header.type === 0x4 && header.streamId === 0 && (header.flags & 0x1) !== 0) this.acknowledge();
      this.result.frames.push(frame);
      this.result.messages.push(frame.message);
      if (!frame.complete) {
        this.markCut(frame, tooLarge, isLastSegment(this.stream, index) && !this.stream.ended, available);
        return;
      }
      if (tooLarge) markTooLarge(frame, this.maxFrameSize);
      this.followHeaderBlock(frame);
      position += FRAME_HEADER_BYTES + header.length;
    }
  }

  /** A frame whose payload the recording does not (yet) hold in full. */
  private markCut(frame: Frame, tooLarge: boolean, stillArriving: boolean, available: number): void {
    const { message, header } = frame;
    message.tree.error = tooLarge ? 'frame-too-large' : stillArriving ? 'incomplete' : 'truncated';
    message.summary += stillArriving
      ? ` · incomplete: ${available} of ${header.length} bytes so far`
      : ` · cut short: ${available} of ${header.length} bytes recorded`;
    ruSummary(
      message.tree,
      `${russianSummaryOf(message) ?? ''}${stillArriving ? ` · не полностью: пока ${available} из ${header.length} байт` : ` · оборван: записано ${available} из ${header.length} байт`}`,
    );
    if (this.pending) this.finishBlock(false);
  }

  /** Header blocks: HEADERS or PUSH_PROMISE, then CONTINUATION until END_HEADERS (RFC 9113 §6.10). */
  private followHeaderBlock(frame: Frame): void {
    const { header } = frame;
    const type = header.type;
    const carriesBlock = type === 0x1 || type === 0x5 || type === 0x9;
    if (!carriesBlock) {
      if (!this.pending) return;
      frame.message.tree.error ??= 'expected-continuation';
      this.pending.frames[0].message.tree.error ??= 'expected-continuation';
      this.finishBlock(false);
      return;
    }
    const fragment = fragmentOf(frame);
    if (!fragment) {
      // too short to hold its fixed fields (a frame size error, a connection error): no block
      // fragment to decode, and the encoder's table can no longer be followed
      if (this.pending) this.finishBlock(false);
      this.hpack.loseHistory();
      return;
    }
    if (type === 0x9) {
      if (!this.pending || this.pending.streamId !== header.streamId) {
        frame.message.tree.error = 'unexpected-continuation';
      } else {
        this.pending.frames.push(frame);
        this.pending.fragments.push(fragment);
      }
    } else {
      if (this.pending) {
        this.pending.frames[0].message.tree.error ??= 'expected-continuation';
        this.finishBlock(false);
      }
      this.pending = { streamId: header.streamId, frames: [frame], fragments: [fragment], endStream: type === 0x1 && (header.flags & 0x1) !== 0 };
    }
    if (this.pending && (header.flags & 0x4) !== 0) this.finishBlock(true);
  }

  private finishBlock(complete: boolean): void {
    if (!this.pending) return;
    const block = this.pending;
    this.pending = null;
    const headerBlock: HeaderBlock = { dir: this.dir, streamId: block.streamId, fields: [], headers: [], endStream: block.endStream, frames: block.frames };
    this.result.blocks.push(headerBlock);
    if (!complete) {
      // the rest of the block was not recorded: HPACK state after it is unknown
      this.hpack.loseHistory();
      headerBlock.error = 'header-block-incomplete';
      block.frames[0].message.tree.error ??= 'header-block-incomplete';
      return;
    }
    const bytes = concat(block.fragments.map((fragment) => fragment.bytes));
    const decoded = this.hpack.decodeBlock(bytes, chunkedOffsets(block.fragments.map((fragment) => fragment.range)));
    hangRepresentations(decoded.nodes, block.fragments);
    headerBlock.fields = decoded.fields;
    headerBlock.headers = decoded.fields.map((field) => [field.name, field.value]);
    if (decoded.error) {
      headerBlock.error = decoded.error;
      block.frames[0].message.tree.error ??= decoded.error;
    }
    const first = block.frames[0].message;
    Object.assign(first.fields!, headerFacts(headerBlock.headers), { headerCount: headerBlock.headers.length });
    const described = describeBlock(headerBlock.headers);
    first.summary = `${first.summary}${described.en}`;
    ruSummary(first.tree, `${russianSummaryOf(first) ?? ''}${described.ru}`);
  }
}

/** Each HPACK representation hangs under the fragment holding its first byte, and is marked continued in the fragments it runs on into. */
function hangRepresentations(nodes: WireNode[], fragments: BlockFragment[]): void {
  for (const node of nodes) {
    const owner =
      fragments.find((fragment) => node.range.start >= fragment.range.start && node.range.start < fragment.range.end) ?? fragments[fragments.length - 1];
    (owner.node.children ??= []).push(node);
    for (const fragment of fragments) {
      if (fragment === owner || fragment.range.start >= node.range.end || fragment.range.end <= node.range.start) continue;
      const continued: WireNode = {
        kind: 'hpack-continued',
        label: `${node.label} (continued from the previous frame)`,
        ...(node.value !== undefined ? { value: node.value } : {}),
        range: { start: Math.max(fragment.range.start, node.range.start), end: Math.min(fragment.range.end, node.range.end) },
      };
      (fragment.node.children ??= []).push(ru(continued, `${node.label} (продолжение из предыдущего кадра)`));
    }
  }
}

/** The largest frame payload before the receiver's SETTINGS_MAX_FRAME_SIZE allows more (RFC 9113 §4.2). */
export const H2_DEFAULT_MAX_FRAME_SIZE = 16_384;

/** RFC 9113 §4.2: a frame longer than the receiver's SETTINGS_MAX_FRAME_SIZE is a FRAME_SIZE_ERROR. */
function markTooLarge(frame: Frame, limit: number): void {
  const { tree } = frame.message;
  tree.error = 'frame-too-large';
  frame.message.summary += ` · longer than the ${limit} bytes the receiver allows (SETTINGS_MAX_FRAME_SIZE)`;
  ruSummary(tree, `${russianSummaryOf(frame.message) ?? ''} · длиннее разрешённых получателем ${limit} байт (SETTINGS_MAX_FRAME_SIZE)`);
}

/** RFC 9113 §8.4: only a server pushes; a PUSH_PROMISE from the client is a connection error of type PROTOCOL_ERROR. */
function markClientPush(frame: Frame): void {
  const { tree } = frame.message;
  tree.error = 'push-promise-from-client';
  frame.message.summary += ' · sent by the client: a protocol error (only a server may push)';
  ruSummary(tree, `${russianSummaryOf(frame.message) ?? ''} · отправлен клиентом: ошибка протокола (обещать потоки может только сервер)`);
  const promised = tree.children?.find((child) => child.kind === 'h2-promised-stream');
  if (promised) {
    promised.error = 'push-promise-from-client';
    ru(promised, 'Бит R + идентификатор обещанного потока', 'клиент не может обещать потоки: это ошибка протокола PROTOCOL_ERROR');
    promised.value = 'a client cannot promise streams: this is a PROTOCOL_ERROR';
  }
}

function isLastSegment(stream: ByteStream, index: number): boolean {
  return index === stream.segments.length - 1;
}

function incompleteNote(stream: ByteStream, index: number, start: number, end: number): WireNode {
  const stillArriving = isLastSegment(stream, index) && !stream.ended;
  return ru(
    {
      kind: 'h2-incomplete',
      label: stillArriving ? 'Frame still arriving' : 'Frame cut short',
      value: `${end - start} of the 9 bytes of a frame header`,
      range: { start, end },
      error: stillArriving ? 'incomplete' : 'truncated',
    },
    stillArriving ? 'Кадр ещё приходит' : 'Кадр оборван',
    `${end - start} из 9 байт заголовка кадра`,
  );
}

function readPreface(conn: string, stream: ByteStream, segment: StreamSegment): { message?: WireMessage; note?: WireNode; length?: number } {
  const available = Math.min(segment.bytes.length, CLIENT_PREFACE.length);
  for (let index = 0; index < available; index += 1) {
    if (segment.bytes[index] !== CLIENT_PREFACE[index]) {
      return {
        note: ru(
          {
            kind: 'h2-no-preface',
            label: 'Not the HTTP/2 client preface',
            value: hexOf(segment.bytes.subarray(0, 24)),
            range: { start: 0, end: segment.bytes.length },
            error: 'missing-preface',
          },
          'Это не преамбула клиента HTTP/2',
        ),
      };
    }
  }
  const complete = available === CLIENT_PREFACE.length;
  const range = { start: 0, end: available };
  const magic: WireNode = {
    kind: 'h2-preface-magic',
    label: '24 fixed bytes: an HTTP/1.1 server would reject them as a bad request, so only HTTP/2 servers go on',
    value: 'PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n',
    range,
  };
  const tree: WireNode = ru(
    {
      kind: 'h2-preface',
      label: 'Client connection preface',
      value: 'PRI * HTTP/2.0␍␊␍␊SM␍␊␍␊',
      range,
      children: [ru(magic, '24 неизменных байта: сервер HTTP/1.1 отверг бы их как плохой запрос, поэтому дальше пойдёт только сервер HTTP/2')],
      ...(complete ? {} : { error: 'incomplete' }),
    },
    'Преамбула соединения от клиента',
  );
  ruSummary(tree, 'преамбула соединения PRI * HTTP/2.0');
  return {
    message: {
      conn,
      index: 0,
      dir: 'in',
      layer: 'h2-preface',
      summary: 'connection preface PRI * HTTP/2.0',
      at: stream.timeAt(0),
      range,
      tree,
      group: 'connection',
      fields: { complete },
    },
    ...(complete ? { length: CLIENT_PREFACE.length } : {}),
  };
}

/** The first offset from which plausible frames follow each other (see H2_RESYNC_*). */
function findFrameBoundary(bytes: Uint8Array, mayEndMidFrame: boolean): number | undefined {
  const limit = Math.min(bytes.length, H2_RESYNC_SCAN_BYTES);
  for (let start = 0; start < limit; start += 1) {
    let position = start;
    let count = 0;
    while (position + FRAME_HEADER_BYTES <= bytes.length && count < H2_RESYNC_CHAIN_FRAMES) {
      const header = readFrameHeader(bytes, position);
      if (!plausibleFrame(header)) break;
      count += 1;
      position += FRAME_HEADER_BYTES + header.length;
    }
    if (count >= H2_RESYNC_CHAIN_FRAMES) return start;
    // fewer frames, but they end exactly where the recording does
    if (count > 0 && (position === bytes.length || (mayEndMidFrame && position > bytes.length))) return start;
  }
  return undefined;
}

function plausibleFrame(header: FrameHeader): boolean {
  if (header.type > 0x9 || header.reserved) return false;
  const defined = (FRAME_FLAGS[header.type] ?? []).reduce((all, [bit]) => all | bit, 0);
  if ((header.flags & ~defined) !== 0) return false;
  if (FRAMES_ON_CONNECTION.has(header.type) !== (header.streamId === 0) && header.type !== 0x8) return false;
  const fixed: Record<number, number> = { 0x2: 5, 0x3: 4, 0x6: 8, 0x8: 4 };
  if (fixed[header.type] !== undefined && header.length !== fixed[header.type]) return false;
  if (header.type === 0x4 && header.length % 6 !== 0) return false;
  return header.length <= 16_777_215;
}

// ---- one frame -------------------------------------------------------------------------------

function buildFrame(conn: string, stream: ByteStream, dir: Dir, header: FrameHeader, start: number, payload: Uint8Array): Frame {
  const complete = payload.length === header.length;
  const end = start + FRAME_HEADER_BYTES + payload.length;
  const typeName = frameTypeName(header.type);
  const flags = flagNames(header.type, header.flags);
  const fields: Record<string, string | number | boolean> = {
    type: typeName,
    streamId: header.streamId,
    length: header.length,
    flags: flags.join('|'),
    complete,
  };
  for (const [bit, name] of FRAME_FLAGS[header.type] ?? []) fields[camelFlag(name)] = (header.flags & bit) !== 0;
  const children: WireNode[] = [frameHeaderNode(header, start)];
  const tree: WireNode = ru({ kind: 'h2-frame', label: `${typeName} frame`, range: { start, end }, children }, `Кадр ${typeName}`);
  const summaryParts = new Summary();
  summaryParts.add(typeName);
  if (header.streamId !== 0 || !FRAMES_ON_CONNECTION.has(header.type)) summaryParts.add(`stream ${header.streamId}`, `поток ${header.streamId}`);
  const errors: string[] = [];
  if (complete) describePayload(header, payload, start + FRAME_HEADER_BYTES, children, fields, summaryParts, errors);
  if (flags.length > 0 && header.type !== 0x4 && header.type !== 0x6) summaryParts.add(flags.join(' '));
  // the first problem names the frame; every one is also on the node it concerns
  if (errors.length > 0) tree.error = errors[0];
  tree.value = `${header.length} B payload${flags.length > 0 ? ` · ${flags.join(' | ')}` : ''}`;
  ru(tree, `Кадр ${typeName}`, `полезная нагрузка ${header.length} Б${flags.length > 0 ? ` · ${flags.join(' | ')}` : ''}`);
  const message: WireMessage = {
    conn,
    index: 0,
    dir,
    layer: 'h2-frame',
    summary: summaryParts.en.join(' · '),
    at: stream.timeAt(start),
    range: { start, end },
    tree,
    group: header.streamId === 0 ? 'connection' : `stream ${header.streamId}`,
    fields,
  };
  ruSummary(tree, summaryParts.ru.join(' · '));
  return { dir, header, start, end, payload, complete, message };
}

function camelFlag(name: string): string {
  return name.toLowerCase().replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function padLengthOf(frame: Frame): number {
  return frame.header.flags & 0x8 ? 1 : 0;
}

function dataRange(frame: Frame): ByteRange {
  const { start, end } = contentRange(frame.header, frame.payload, frame.start + FRAME_HEADER_BYTES);
  return { start, end };
}

function fragmentOf(frame: Frame): { range: ByteRange; bytes: Uint8Array; node: WireNode } | undefined {
  const range = dataRange(frame);
  const node = frame.message.tree.children?.find((child) => child.kind === 'hpack-block');
  if (!node) return undefined;
  const base = frame.start + FRAME_HEADER_BYTES;
  return { range, bytes: frame.payload.subarray(range.start - base, range.end - base), node };
}

// ---- streams as exchanges --------------------------------------------------------------------

function buildExchange(
  connection: CapturedConnection,
  stream: StreamState,
  streams: { in: ByteStream; out: ByteStream },
  index: number,
): { exchange: HttpExchange; messages: WireMessage[] } {
  const request = stream.request!;
  const requestHeaders = request.headers;
  const target = headerValue(requestHeaders, ':path') ?? '';
  const { path, query } = splitTarget(target);
  const reading: StreamReading = { connection, stream, streams, messages: [], group: `stream ${stream.id}` };
  const requestBody = streamBody(reading, 'in', requestHeaders, { carrier: 'h2-data', path }, stream.ended.in);
  const requestMessage: HttpRequestMessage = {
    method: headerValue(requestHeaders, ':method') ?? '',
    target,
    path,
    query,
    version: 'HTTP/2',
    headers: withTrailers(requestHeaders, stream.trailers.in),
    body: requestBody.bytes,
    ...messageExtent(stream, 'in', request, requestBody.node, streams.in),
    complete: stream.ended.in,
    tree: messageTree(
      'h2-request',
      `${headerValue(requestHeaders, ':method') ?? '?'} ${target} · stream ${stream.id}${stream.pushed ? ' (pushed)' : ''}`,
      request,
      stream.trailers.in,
      requestBody.node,
    ),
  };
  if (request.error) requestMessage.tree.error = request.error;
  if (stream.frames.in.length === 0 && stream.pushed) requestMessage.tree.label += ' — promised by the server';
  const exchange: HttpExchange = { conn: connection.id, index, transport: 'h2c', request: requestMessage };
  if (stream.response) exchange.response = responseMessage(reading, stream.response, { carrier: 'h2-data', path, requestHeaders });
  if (stream.interim.length > 0) exchange.interim = interimResponses(stream, streams.out);
  if (stream.resetCode !== undefined) {
    const reset = ru(
      { kind: 'h2-reset', label: 'Stream reset (RST_STREAM)', value: errorCodeName(stream.resetCode), range: exchange.response?.range ?? requestMessage.range },
      'Поток сброшен (RST_STREAM)',
    );
    (exchange.response?.tree ?? requestMessage.tree).children!.push(reset);
  }
  return { exchange, messages: reading.messages };
}

/** One stream being read as an exchange: where its bodies' marked messages are gathered. */
interface StreamReading {
  connection: CapturedConnection;
  stream: StreamState;
  streams: { in: ByteStream; out: ByteStream };
  messages: WireMessage[];
  group: string;
}

type BodyContext = Pick<PayloadContext, 'carrier' | 'path' | 'requestHeaders'>;

/** One direction's body: its DATA frames' payloads joined, decoded through the payload layers. */
function streamBody(reading: StreamReading, dir: Dir, headers: HeaderList, context: BodyContext, complete: boolean): { bytes: Uint8Array; node?: WireNode } {
  const { connection, stream, streams, messages, group } = reading;
  const pieces = stream.data[dir];
  const bytes = concat(pieces.map((piece) => piece.bytes));
  const ranges = pieces.map((piece) => piece.range);
  const range = ranges.length > 0 ? { start: ranges[0].start, end: ranges[ranges.length - 1].end } : undefined;
  const children: WireNode[] = pieces.map((piece) =>
    ru(
      { kind: 'h2-data', label: `DATA frame payload (${piece.bytes.length} B)`, value: preview(piece.bytes), range: piece.range },
      `Полезная нагрузка кадра DATA (${piece.bytes.length} Б)`,
    ),
  );
  const full: PayloadContext = { ...context, headers, complete };
  const contentType = headerValue(headers, 'content-type')?.toLowerCase();
  if (contentType !== undefined) full.contentType = contentType;
  const layered = decodePayload(bytes, chunkedOffsets(ranges), full);
  children.push(...layered);
  for (const node of layered) {
    for (const found of collectMarkedMessages(node, connection.id, dir, streams[dir])) messages.push({ ...found, group });
  }
  return {
    bytes,
    node: range
      ? ({
          kind: 'body',
          label: `body · ${bytes.length} bytes in ${pieces.length} DATA frame${pieces.length === 1 ? '' : 's'}`,
          range,
          children,
        } satisfies WireNode)
      : undefined,
  };
}

function responseMessage(reading: StreamReading, response: HeaderBlock, context: BodyContext): HttpResponseMessage {
  const { stream, streams } = reading;
  const responseBody = streamBody(reading, 'out', response.headers, context, stream.ended.out);
  const status = Number(headerValue(response.headers, ':status') ?? 0);
  const message: HttpResponseMessage = {
    version: 'HTTP/2',
    status,
    reason: '',
    headers: withTrailers(response.headers, stream.trailers.out),
    body: responseBody.bytes,
    ...messageExtent(stream, 'out', response, responseBody.node, streams.out),
    complete: stream.ended.out,
    tree: messageTree('h2-response', `${status} · stream ${stream.id}`, response, stream.trailers.out, responseBody.node),
  };
  if (response.error) message.tree.error = response.error;
  return message;
}

/** The 1xx answers before the final one (RFC 9113 §8.1): each a header block without a body. */
function interimResponses(stream: StreamState, out: ByteStream): HttpResponseMessage[] {
  return stream.interim.map((block) => ({
    version: 'HTTP/2',
    status: Number(headerValue(block.headers, ':status') ?? 0),
    reason: '',
    headers: block.headers,
    body: new Uint8Array(0),
    ...messageExtent(stream, 'out', block, undefined, out, block.frames),
    complete: true,
    tree: messageTree('h2-response', `${headerValue(block.headers, ':status')} (interim) · stream ${stream.id}`, block, undefined, undefined),
  }));
}

function messageExtent(
  stream: StreamState,
  dir: Dir,
  block: HeaderBlock,
  body: WireNode | undefined,
  byteStream: ByteStream,
  only?: Frame[],
): Pick<HttpRequestMessage, 'range' | 'bodyStart' | 'firstByteAt' | 'lastByteAt'> {
  const frames = only ?? (stream.frames[dir].length > 0 ? stream.frames[dir] : block.frames);
  const first = block.frames[0];
  const last = frames.reduce((latest, frame) => (frame.end > latest.end ? frame : latest), first);
  const range = { start: Math.min(first.start, frames[0]?.start ?? first.start), end: last.end };
  return { range, bodyStart: body?.range.start ?? range.end, firstByteAt: byteStream.timeAt(range.start), lastByteAt: byteStream.timeAt(range.end - 1) };
}

function messageTree(kind: string, label: string, block: HeaderBlock, trailers: HeaderBlock | undefined, body: WireNode | undefined): WireNode {
  const headerNodes = (source: HeaderBlock): WireNode[] =>
    source.fields.map((field) => ({ kind: 'header', label: field.name, value: field.value, range: field.range }));
  const start = block.frames[0].start;
  const ends = [block.frames[block.frames.length - 1].end, body?.range.end ?? 0, trailers?.frames[trailers.frames.length - 1].end ?? 0];
  const children: WireNode[] = [
    {
      kind: 'headers',
      label: `headers (HPACK, ${block.fields.length} fields)`,
      range: { start, end: block.frames[block.frames.length - 1].end },
      children: headerNodes(block),
    },
  ];
  if (body) children.push(body);
  if (trailers) {
    children.push({
      kind: 'trailers',
      label: `trailers (${trailers.fields.length} fields)`,
      range: { start: trailers.frames[0].start, end: trailers.frames[trailers.frames.length - 1].end },
      children: headerNodes(trailers),
    });
  }
  return ru(
    { kind, label, range: { start, end: Math.max(...ends) }, children },
    label.replace(' · stream ', ' · поток ').replace(' (interim)', ' (промежуточный)').replace(' (pushed)', ' (push)'),
  );
}

function withTrailers(headers: HeaderList, trailers: HeaderBlock | undefined): HeaderList {
  return trailers ? [...headers, ...trailers.headers] : headers;
}

// ---- helpers ---------------------------------------------------------------------------------

/** Facts of a header block that lessons check: the pseudo-headers, the content type, gRPC status. */
function headerFacts(headers: HeaderList): Record<string, string | number | boolean> {
  const facts: Record<string, string | number | boolean> = {};
  const method = headerValue(headers, ':method');
  const path = headerValue(headers, ':path');
  const status = headerValue(headers, ':status');
  const contentType = headerValue(headers, 'content-type');
  const grpcStatus = headerValue(headers, 'grpc-status');
  if (method !== undefined) facts.method = method;
  if (path !== undefined) facts.path = path;
  if (status !== undefined) facts.status = Number(status);
  if (contentType !== undefined) facts.contentType = contentType;
  if (grpcStatus !== undefined) facts.grpcStatus = Number(grpcStatus);
  if (method === undefined && status === undefined && headers.length > 0) facts.trailers = true;
  return facts;
}

function describeBlock(headers: HeaderList): Bilingual {
  const method = headerValue(headers, ':method');
  const status = headerValue(headers, ':status');
  const grpcStatus = headerValue(headers, 'grpc-status');
  const same = (text: string) => ({ en: text, ru: text });
  if (method) return same(` · ${method} ${headerValue(headers, ':path') ?? ''}`);
  if (status) return same(` · ${status}${grpcStatus !== undefined ? ` grpc-status ${grpcStatus}` : ''}`);
  if (grpcStatus !== undefined) return { en: ` · trailers grpc-status ${grpcStatus}`, ru: ` · трейлеры grpc-status ${grpcStatus}` };
  return headers.length > 0 ? { en: ' · trailers', ru: ' · трейлеры' } : same('');
}

function headerValue(headers: HeaderList, name: string): string | undefined {
  return headers.find(([key]) => key === name)?.[1];
}

function splitTarget(target: string): { path: string; query: Array<[string, string]> } {
  const mark = target.indexOf('?');
  if (mark === -1) return { path: target, query: [] };
  const query: Array<[string, string]> = [];
  for (const [key, value] of new URLSearchParams(target.slice(mark + 1))) query.push([key, value]);
  return { path: target.slice(0, mark), query };
}

function concat(pieces: Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0];
  const out = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
