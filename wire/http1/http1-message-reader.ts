import type { DecodeMemo, MemoTable } from '../decode-memo.ts';
import type { ByteStream, StreamSegment } from '../stream-assembler.ts';
import type { ByteRange, HeaderList, WireNode } from '../types.ts';

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

export type MessageKind = 'request' | 'response';

/** How the end of a message body is found (RFC 9112 §6.3). */
export type Framing = 'none' | 'content-length' | 'chunked' | 'until-close' | 'upgrade' | 'tunnel';

/** One HTTP/1.x message as read from a stream, before it becomes a request or a response. */
export interface ParsedMessage {
  kind: MessageKind;
  /** the three parts of the start line: method, target, version — or version, status, reason */
  startLine: [string, string, string];
  headers: HeaderList;
  body: Uint8Array;
  range: ByteRange;
  bodyStart: number;
  firstByteAt: number;
  lastByteAt: number;
  complete: boolean;
  afterGap: boolean;
  framing: Framing;
  /** the message cannot be framed: nothing after it in this segment can be read as HTTP/1.1 */
  malformed: boolean;
  tree: WireNode;
}

export interface MessageStart {
  offset: number;
  t: number;
  afterGap: boolean;
}

/** Bytes that did not belong to any message: skipped to find a start line after a gap, or stray empty lines. */
export interface SkippedBytes {
  range: ByteRange;
  reason: 'gap' | 'empty-line';
}

const REQUEST_LINE = /(?:^|\n)[!#$%&'*+.^_`|~0-9A-Za-z-]+ [^ \r\n]+ HTTP\/\d\.\d\r?\n/g;
const STATUS_LINE = /(?:^|\n)HTTP\/\d\.\d \d{3}[ \r\n]/g;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Reads the HTTP/1.x messages of one direction, one at a time, so the connection decoder can pair
 * each response with its request (a HEAD response has no body; after a 101 the protocol changes).
 * After a hole in the stream it looks for the next start line and starts over from there.
 */
export class Http1MessageReader {
  readonly skipped: SkippedBytes[] = [];
  private segmentIndex = 0;
  private position: number;
  private needsResync: boolean;
  private stopped = false;
  /** messages read at an offset, kept from one decode to the next (see `knownMessageAt`) */
  private readonly readMessages?: MemoTable<number, ReadMessage>;

  constructor(
    readonly stream: ByteStream,
    readonly kind: MessageKind,
    private readonly memo?: DecodeMemo,
  ) {
    this.readMessages = memo?.table(`h1-message:${stream.dir}`);
    const first = stream.segments[0];
    this.position = first ? first.start : 0;
    this.needsResync = first ? first.gapBefore : false;
  }

  /** Where the next message starts, or null when nothing more can be read. */
  peek(): MessageStart | null {
    while (!this.stopped) {
      const segment = this.stream.segments[this.segmentIndex];
      if (!segment) return null;
      const segmentEnd = segment.start + segment.bytes.length;
      if (this.position >= segmentEnd) {
        this.enterSegment(this.segmentIndex + 1);
        continue;
      }
      if (this.needsResync) {
        const found = findStartLine(segment, this.position - segment.start, this.kind);
        const resumeAt = found === -1 ? segmentEnd : segment.start + found;
        if (resumeAt > this.position) this.skipped.push({ range: { start: this.position, end: resumeAt }, reason: 'gap' });
        this.position = resumeAt;
        if (found === -1) continue;
        this.needsResync = false;
        return { offset: this.position, t: this.stream.timeAt(this.position), afterGap: true };
      }
      const emptyLineEnd = strayEmptyLines(segment.bytes, this.position - segment.start) + segment.start;
      if (emptyLineEnd > this.position) {
        this.skipped.push({ range: { start: this.position, end: emptyLineEnd }, reason: 'empty-line' });
        this.position = emptyLineEnd;
        continue;
      }
      const afterGap = segment.gapBefore && this.position === segment.start;
      return { offset: this.position, t: this.stream.timeAt(this.position), afterGap };
    }
    return null;
  }

  /** Reads the message at `peek()`; `requestMethod` tells a response what it answers. */
  read(requestMethod?: string): ParsedMessage | null {
    const start = this.peek();
    if (!start) return null;
    const segment = this.stream.segments[this.segmentIndex];
    const segmentEnd = segment.start + segment.bytes.length;
    const streamEnded = this.stream.ended && this.segmentIndex === this.stream.segments.length - 1;
    const read: Omit<ReadMessage, 'message'> = { requestMethod, segmentEnd, streamEnded };
    const message = this.knownMessageAt(start, read) ?? this.parse(segment, start, read);
    this.position = message.complete && !message.malformed ? message.range.end : segmentEnd;
    if (message.framing === 'upgrade' || message.framing === 'tunnel') this.stop();
    return message;
  }

  /**
   * The message an earlier decode read at this offset, if it still reads the same: captured bytes
   * never change, so a complete message is the same for good (with the same request method: a
   * HEAD's response has no body), and any other (incomplete: an asset's response head whose body
   * the tap left out; malformed) as long as its segment has not grown or ended. Without it every
   * decode of a keep-alive connection would read all its messages again from the first, at every
   * new chunk.
   */
  private knownMessageAt(start: MessageStart, read: Omit<ReadMessage, 'message'>): ParsedMessage | undefined {
    const known = this.readMessages?.get(start.offset);
    if (!known || known.requestMethod !== read.requestMethod || known.message.afterGap !== start.afterGap) return undefined;
    const final = known.message.complete && !known.message.malformed;
    return final || (known.segmentEnd === read.segmentEnd && known.streamEnded === read.streamEnded) ? known.message : undefined;
  }

  private parse(segment: StreamSegment, start: MessageStart, read: Omit<ReadMessage, 'message'>): ParsedMessage {
    const message = parseMessage(segment, start, this.kind, {
      requestMethod: read.requestMethod,
      streamEnded: read.streamEnded,
      stream: this.stream,
      memo: this.memo,
    });
    this.readMessages?.set(start.offset, { ...read, message });
    return message;
  }

  /** Stops reading: the rest of the stream is another protocol. */
  stop(): void {
    this.stopped = true;
  }

  private enterSegment(index: number): void {
    this.segmentIndex = index;
    const segment = this.stream.segments[index];
    if (segment) {
      this.position = segment.start;
      this.needsResync = segment.gapBefore;
    }
  }
}

/** A message as a decode read it, and what it was read from beyond its offset. */
interface ReadMessage {
  message: ParsedMessage;
  requestMethod: string | undefined;
  /** where its segment ended: an incomplete or malformed message reads to there */
  segmentEnd: number;
  streamEnded: boolean;
}

interface ParseOptions {
  requestMethod?: string;
  streamEnded: boolean;
  stream: ByteStream;
  memo?: DecodeMemo;
}

/** Reads lines of a segment, tracking absolute offsets. */
class LineCursor {
  at: number;
  constructor(
    readonly segment: StreamSegment,
    offset: number,
  ) {
    this.at = offset - segment.start;
  }

  get absolute(): number {
    return this.segment.start + this.at;
  }

  get remaining(): number {
    return this.segment.bytes.length - this.at;
  }

  /** The next line: content end (before CR LF) and the position after LF; null when incomplete. */
  nextLine(): { start: number; contentEnd: number; end: number; bareLf: boolean } | null {
    const bytes = this.segment.bytes;
    const lf = bytes.indexOf(LF, this.at);
    if (lf === -1) return null;
    const bareLf = lf === this.at || bytes[lf - 1] !== CR;
    const line = { start: this.at, contentEnd: bareLf ? lf : lf - 1, end: lf + 1, bareLf };
    this.at = lf + 1;
    return line;
  }
}

function parseMessage(segment: StreamSegment, start: MessageStart, kind: MessageKind, options: ParseOptions): ParsedMessage {
  const base = segment.start;
  const bytes = segment.bytes;
  const abs = (local: number): number => base + local;
  const text = (from: number, to: number): string => latin1.decode(bytes.subarray(from, to));
  const cursor = new LineCursor(segment, start.offset);
  const children: WireNode[] = [];
  const message: ParsedMessage = {
    kind,
    startLine: ['', '', ''],
    headers: [],
    body: new Uint8Array(0),
    range: { start: start.offset, end: start.offset },
    bodyStart: start.offset,
    firstByteAt: start.t,
    lastByteAt: start.t,
    complete: false,
    afterGap: start.afterGap,
    framing: 'none',
    malformed: false,
    tree: { kind: kind === 'request' ? 'http-request' : 'http-response', label: '', range: { start: start.offset, end: start.offset }, children },
  };

  const finish = (endLocal: number, complete: boolean): ParsedMessage => {
    message.range = { start: start.offset, end: abs(endLocal) };
    message.complete = complete;
    message.lastByteAt = message.range.end > message.range.start ? options.stream.timeAt(message.range.end - 1) : start.t;
    message.tree.range = message.range;
    if (!message.tree.label) message.tree.label = kind === 'request' ? 'HTTP request' : 'HTTP response';
    if (!complete && !message.tree.error) message.tree.error = 'incomplete';
    return message;
  };

  const malformed = (node: WireNode, error: string): ParsedMessage => {
    node.error ??= error;
    message.malformed = true;
    message.tree.error = error;
    const restStart = cursor.at;
    if (restStart < bytes.length) {
      children.push({
        kind: 'unparsed',
        label: 'Bytes that cannot be read as HTTP/1.1',
        value: `${bytes.length - restStart} bytes`,
        range: { start: abs(restStart), end: abs(bytes.length) },
        error,
      });
    }
    return finish(bytes.length, true);
  };

  // Start line
  const line = cursor.nextLine();
  if (!line) {
    children.push({
      kind: kind === 'request' ? 'request-line' : 'status-line',
      label: text(cursor.at, bytes.length),
      range: { start: start.offset, end: abs(bytes.length) },
      error: 'incomplete',
    });
    cursor.at = bytes.length;
    return finish(bytes.length, false);
  }
  const startLineNode = parseStartLine(bytes, base, line, kind);
  children.push(startLineNode.node);
  message.startLine = startLineNode.parts;
  message.tree.label = startLineNode.node.label;
  if (startLineNode.node.error) return malformed(startLineNode.node, startLineNode.node.error);

  // Header fields
  const headersNode: WireNode = { kind: 'headers', label: 'Headers', range: { start: cursor.absolute, end: cursor.absolute }, children: [] };
  children.push(headersNode);
  const headerNodes = new Map<string, WireNode[]>();
  const headEnd = readFieldLines(cursor, base, bytes, headersNode, message.headers, headerNodes);
  headersNode.value = String(message.headers.length);
  if (headEnd === 'incomplete') return finish(bytes.length, false);
  if ('error' in headEnd) return malformed(headEnd.node, headEnd.error);
  children.push(headEnd.blankLine);
  message.bodyStart = headEnd.blankLine.range.end;
  return readBody({ cursor, base, bytes, message, children, finish, malformed, options, headersNode, headerNodes });
}

/** A message whose head was read, as its body's readers need it. */
interface HeadRead {
  cursor: LineCursor;
  base: number;
  bytes: Uint8Array;
  message: ParsedMessage;
  children: WireNode[];
  finish: Finish;
  malformed: Malformed;
  options: ParseOptions;
  headersNode: WireNode;
  /** the nodes of each header field, by lower-case name */
  headerNodes: Map<string, WireNode[]>;
}

/** The body, framed as RFC 9112 §6.3 says: none, chunked, Content-Length, or until the connection closes. */
function readBody(head: HeadRead): ParsedMessage {
  const { cursor, base, bytes, message, children, finish, malformed, options, headersNode, headerNodes } = head;
  const kind = message.kind;
  const status = kind === 'response' ? Number(message.startLine[1]) : 0;
  const method = (kind === 'request' ? message.startLine[0] : (options.requestMethod ?? '')).toUpperCase();
  if (kind === 'response') {
    if (status === 101) {
      message.framing = 'upgrade';
      return finish(cursor.at, true);
    }
    if (method === 'CONNECT' && status >= 200 && status < 300) {
      message.framing = 'tunnel';
      return finish(cursor.at, true);
    }
    if ((status >= 100 && status < 200) || status === 204 || status === 304 || method === 'HEAD') {
      message.framing = 'none';
      return finish(cursor.at, true);
    }
  }

  const transferEncoding = headerValues(message.headers, 'transfer-encoding').join(',').toLowerCase();
  const contentLengths = headerValues(message.headers, 'content-length');
  if (transferEncoding) {
    const codings = transferEncoding
      .split(',')
      .map((coding) => coding.trim())
      .filter(Boolean);
    if (contentLengths.length > 0) {
      for (const node of headerNodes.get('content-length') ?? []) node.error = 'content-length-ignored-with-transfer-encoding';
    }
    if (codings[codings.length - 1] === 'chunked') {
      message.framing = 'chunked';
      return readChunkedBody(cursor, base, bytes, message, children, finish, malformed, options);
    }
    if (kind === 'request') {
      const node = headerNodes.get('transfer-encoding')?.[0] ?? headersNode;
      return malformed(node, 'transfer-encoding-without-chunked');
    }
    message.framing = 'until-close';
    return readUntilClose(cursor, base, bytes, message, children, finish, options.streamEnded);
  }
  if (contentLengths.length > 0) return readContentLengthBody(head, contentLengths);
  if (kind === 'request') {
    message.framing = 'none';
    return finish(cursor.at, true);
  }
  message.framing = 'until-close';
  return readUntilClose(cursor, base, bytes, message, children, finish, options.streamEnded);
}

/** A body of `Content-Length` bytes: every value given must be the same number (RFC 9112 §6.3, 5). */
function readContentLengthBody(head: HeadRead, contentLengths: string[]): ParsedMessage {
  const { cursor, base, bytes, message, children, finish, malformed, headersNode, headerNodes } = head;
  const values = contentLengths.flatMap((value) => value.split(',')).map((value) => value.trim());
  const length = values.every((value) => /^\d+$/.test(value)) && new Set(values).size === 1 ? Number(values[0]) : Number.NaN;
  const node = headerNodes.get('content-length')?.[0] ?? headersNode;
  if (!Number.isSafeInteger(length)) return malformed(node, 'invalid-content-length');
  message.framing = 'content-length';
  const available = Math.min(length, bytes.length - cursor.at);
  const bodyLocal = cursor.at;
  message.body = bytes.subarray(bodyLocal, bodyLocal + available);
  if (length > 0 || available > 0) {
    children.push({
      kind: 'body',
      label: 'Body',
      value: available < length ? `${available} of ${length} bytes` : `${length} bytes`,
      range: { start: base + bodyLocal, end: base + bodyLocal + available },
      ...(available < length ? { error: 'incomplete' } : {}),
    });
  }
  return finish(bodyLocal + available, available === length);
}

function parseStartLine(
  bytes: Uint8Array,
  base: number,
  line: { start: number; contentEnd: number; end: number; bareLf: boolean },
  kind: MessageKind,
): { node: WireNode; parts: [string, string, string] } {
  const content = latin1.decode(bytes.subarray(line.start, line.contentEnd));
  const node: WireNode = {
    kind: kind === 'request' ? 'request-line' : 'status-line',
    label: content,
    range: { start: base + line.start, end: base + line.end },
    children: [],
  };
  const firstSpace = content.indexOf(' ');
  const secondSpace = firstSpace === -1 ? -1 : content.indexOf(' ', firstSpace + 1);
  const part = (from: number, to: number) => ({ start: base + line.start + from, end: base + line.start + to });
  const parts: [string, string, string] = ['', '', ''];
  if (firstSpace === -1 || (kind === 'request' && secondSpace === -1)) {
    node.error = kind === 'request' ? 'malformed-request-line' : 'malformed-status-line';
    parts[0] = content;
    return { node, parts };
  }
  const thirdEnd = content.length;
  const secondEnd = secondSpace === -1 ? thirdEnd : secondSpace;
  parts[0] = content.slice(0, firstSpace);
  parts[1] = content.slice(firstSpace + 1, secondEnd);
  parts[2] = secondSpace === -1 ? '' : content.slice(secondSpace + 1);
  const ranges = [part(0, firstSpace), part(firstSpace + 1, secondEnd), part(secondSpace === -1 ? thirdEnd : secondSpace + 1, thirdEnd)];
  const kinds = kind === 'request' ? ['method', 'request-target', 'http-version'] : ['http-version', 'status-code', 'reason-phrase'];
  const labels = kind === 'request' ? ['Method', 'Request target', 'Version'] : ['Version', 'Status code', 'Reason phrase'];
  for (let index = 0; index < 3; index += 1) {
    node.children!.push({ kind: kinds[index], label: labels[index], value: parts[index], range: ranges[index] });
  }
  node.children!.push(lineEndNode(base, line));
  if (kind === 'request') {
    if (!TOKEN.test(parts[0])) node.children![0].error = 'invalid-method';
    if (!/^HTTP\/\d\.\d$/.test(parts[2])) node.children![2].error = 'invalid-version';
    if (parts[1] === '' || /\s/.test(parts[1])) node.children![1].error = 'invalid-request-target';
  } else {
    if (!/^HTTP\/\d\.\d$/.test(parts[0])) node.children![0].error = 'invalid-version';
    if (!/^\d{3}$/.test(parts[1])) node.children![1].error = 'invalid-status-code';
  }
  // a bare LF is tolerated (RFC 9112 §2.2): flagged on its node, but the line still parses
  const childError = node.children!.slice(0, 3).find((child) => child.error)?.error;
  if (childError) node.error = kind === 'request' ? 'malformed-request-line' : 'malformed-status-line';
  return { node, parts };
}

function lineEndNode(base: number, line: { contentEnd: number; end: number; bareLf: boolean }): WireNode {
  return {
    kind: 'crlf',
    label: line.bareLf ? 'LF' : 'CRLF',
    range: { start: base + line.contentEnd, end: base + line.end },
    ...(line.bareLf ? { error: 'bare-lf' } : {}),
  };
}

type FieldLinesEnd = 'incomplete' | { blankLine: WireNode } | { error: string; node: WireNode };

/** Header (or trailer) field lines up to and including the empty line. */
function readFieldLines(
  cursor: LineCursor,
  base: number,
  bytes: Uint8Array,
  group: WireNode,
  headers: HeaderList,
  byName: Map<string, WireNode[]>,
): FieldLinesEnd {
  let previous: WireNode | null = null;
  for (;;) {
    const line = cursor.nextLine();
    if (!line) {
      group.range.end = base + bytes.length;
      group.error = 'incomplete';
      cursor.at = bytes.length;
      return 'incomplete';
    }
    if (line.contentEnd === line.start) {
      const blankLine: WireNode = {
        kind: 'blank-line',
        label: line.bareLf ? 'LF (end of fields)' : 'CRLF (end of fields)',
        range: { start: base + line.start, end: base + line.end },
        ...(line.bareLf ? { error: 'bare-lf' } : {}),
      };
      return { blankLine };
    }
    group.range.end = base + line.end;
    const first = bytes[line.start];
    if ((first === SP || first === HTAB) && previous) {
      // obs-fold: a continuation of the previous field value, deprecated by RFC 9112 §5.2
      const continuation = latin1.decode(bytes.subarray(line.start, line.contentEnd)).trim();
      const index = headers.length - 1;
      headers[index] = [headers[index][0], `${headers[index][1]} ${continuation}`];
      previous.value = headers[index][1];
      previous.range.end = base + line.end;
      previous.error = 'obs-fold';
      previous.children!.push({ kind: 'obs-fold', label: 'Folded line', value: continuation, range: { start: base + line.start, end: base + line.end } });
      continue;
    }
    const colon = bytes.indexOf(COLON, line.start);
    const lineText = latin1.decode(bytes.subarray(line.start, line.contentEnd));
    if (colon === -1 || colon >= line.contentEnd) {
      const node: WireNode = { kind: 'header', label: lineText, range: { start: base + line.start, end: base + line.end }, error: 'header-without-colon' };
      group.children!.push(node);
      return { error: 'header-without-colon', node };
    }
    const name = latin1.decode(bytes.subarray(line.start, colon));
    let valueStart = colon + 1;
    let valueEnd = line.contentEnd;
    while (valueStart < valueEnd && (bytes[valueStart] === SP || bytes[valueStart] === HTAB)) valueStart += 1;
    while (valueEnd > valueStart && (bytes[valueEnd - 1] === SP || bytes[valueEnd - 1] === HTAB)) valueEnd -= 1;
    const value = utf8.decode(bytes.subarray(valueStart, valueEnd));
    const node: WireNode = {
      kind: 'header',
      label: name,
      value,
      range: { start: base + line.start, end: base + line.end },
      children: [
        { kind: 'header-name', label: 'Name', value: name, range: { start: base + line.start, end: base + colon } },
        { kind: 'header-value', label: 'Value', value, range: { start: base + valueStart, end: base + valueEnd } },
        lineEndNode(base, line),
      ],
    };
    if (!TOKEN.test(name)) node.error = /\s$/.test(name) ? 'space-before-colon' : 'invalid-header-name';
    group.children!.push(node);
    headers.push([name, value]);
    const key = name.toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), node]);
    previous = node;
  }
}

function headerValues(headers: HeaderList, name: string): string[] {
  return headers.filter(([key]) => key.toLowerCase() === name).map(([, value]) => value);
}

type Finish = (endLocal: number, complete: boolean) => ParsedMessage;
type Malformed = (node: WireNode, error: string) => ParsedMessage;

function readUntilClose(
  cursor: LineCursor,
  base: number,
  bytes: Uint8Array,
  message: ParsedMessage,
  children: WireNode[],
  finish: Finish,
  streamEnded: boolean,
): ParsedMessage {
  const bodyLocal = cursor.at;
  message.body = bytes.subarray(bodyLocal);
  if (bytes.length > bodyLocal || streamEnded) {
    children.push({
      kind: 'body',
      label: 'Body (until the connection closes)',
      value: `${bytes.length - bodyLocal} bytes`,
      range: { start: base + bodyLocal, end: base + bytes.length },
      ...(streamEnded ? {} : { error: 'incomplete' }),
    });
  }
  cursor.at = bytes.length;
  return finish(bytes.length, streamEnded);
}

/** Transfer-Encoding: chunked (RFC 9112 §7.1): size lines, data, the last chunk, trailers. */
function readChunkedBody(
  cursor: LineCursor,
  base: number,
  bytes: Uint8Array,
  message: ParsedMessage,
  children: WireNode[],
  finish: Finish,
  malformed: Malformed,
  { memo, stream }: ParseOptions,
): ParsedMessage {
  const bodyLocal = cursor.at;
  const chunks: WireNode[] = [];
  const bodyNode: WireNode = { kind: 'body', label: 'Body (chunked)', range: { start: base + bodyLocal, end: base + bodyLocal }, children: chunks };
  children.push(bodyNode);
  const data: Uint8Array[] = [];
  let decodedLength = 0;
  const completeChunks = memo?.table<number, CompleteChunk>(`h1-chunk:${stream.dir}`);

  const settle = (endLocal: number, complete: boolean): ParsedMessage => {
    bodyNode.range.end = base + endLocal;
    bodyNode.value = `${chunks.filter((chunk) => chunk.kind === 'chunk').length} chunks, ${decodedLength} bytes`;
    if (!complete) bodyNode.error = 'incomplete';
    message.body = joinBytes(data, decodedLength);
    return finish(endLocal, complete);
  };

  for (;;) {
    const lineStart = cursor.at;
    const known = completeChunks?.get(base + lineStart);
    if (known && known.end <= base + bytes.length) {
      chunks.push(known.node);
      data.push(bytes.subarray(known.data.start - base, known.data.end - base));
      decodedLength += known.data.end - known.data.start;
      cursor.at = known.end - base;
      continue;
    }
    const line = cursor.nextLine();
    if (!line) {
      if (bytes.length > lineStart) {
        chunks.push({ kind: 'chunk', label: 'Chunk', range: { start: base + lineStart, end: base + bytes.length }, error: 'incomplete' });
      }
      cursor.at = bytes.length;
      return settle(bytes.length, false);
    }
    const { chunk, sizeNode, sizeText } = chunkHead(base, bytes, line);
    chunks.push(chunk);
    if (!/^[0-9A-Fa-f]{1,13}$/.test(sizeText)) return malformed(chunk, 'invalid-chunk-size');
    const size = parseInt(sizeText, 16);
    sizeNode.value = `${sizeText} = ${size}`;
    if (size === 0) return readLastChunk(cursor, base, bytes, chunk, chunks, message, settle, malformed);
    chunk.label = `Chunk: ${size} bytes`;
    const dataLocal = cursor.at;
    const available = Math.min(size, bytes.length - dataLocal);
    chunk.children!.push({
      kind: 'chunk-data',
      label: 'Chunk data',
      value: `${available === size ? size : `${available} of ${size}`} bytes`,
      range: { start: base + dataLocal, end: base + dataLocal + available },
    });
    data.push(bytes.subarray(dataLocal, dataLocal + available));
    decodedLength += available;
    cursor.at = dataLocal + available;
    const remaining = bytes.length - cursor.at;
    const crMissing = remaining >= 1 && bytes[cursor.at] !== CR;
    const lfMissing = remaining >= 2 && bytes[cursor.at + 1] !== LF;
    if (available === size && (crMissing || lfMissing)) return malformed(chunk, 'missing-crlf-after-chunk-data');
    if (available < size || remaining < 2) {
      chunk.range.end = base + bytes.length;
      chunk.error = 'incomplete';
      cursor.at = bytes.length;
      return settle(bytes.length, false);
    }
    chunk.children!.push({ kind: 'crlf', label: 'CRLF', range: { start: base + cursor.at, end: base + cursor.at + 2 } });
    cursor.at += 2;
    chunk.range.end = base + cursor.at;
    completeChunks?.set(base + lineStart, {
      node: chunk,
      data: { start: base + dataLocal, end: base + dataLocal + size },
      end: chunk.range.end,
    } satisfies CompleteChunk);
  }
}

/** One line as the cursor finds it. */
type CursorLine = NonNullable<ReturnType<LineCursor['nextLine']>>;

/** A chunk's size line (RFC 9112 §7.1): the size in hex, an extension after ';', the line end. */
function chunkHead(base: number, bytes: Uint8Array, line: CursorLine): { chunk: WireNode; sizeNode: WireNode; sizeText: string } {
  const lineText = latin1.decode(bytes.subarray(line.start, line.contentEnd));
  const semicolon = lineText.indexOf(';');
  const sizeText = (semicolon === -1 ? lineText : lineText.slice(0, semicolon)).trimEnd();
  const sizeNode: WireNode = {
    kind: 'chunk-size',
    label: 'Chunk size (hex)',
    value: sizeText,
    range: { start: base + line.start, end: base + line.start + sizeText.length },
  };
  const chunk: WireNode = { kind: 'chunk', label: 'Chunk', range: { start: base + line.start, end: base + line.end }, children: [sizeNode] };
  if (semicolon !== -1) {
    chunk.children!.push({
      kind: 'chunk-extension',
      label: 'Chunk extension',
      value: lineText.slice(semicolon + 1),
      range: { start: base + line.start + semicolon, end: base + line.contentEnd },
    });
  }
  chunk.children!.push(lineEndNode(base, line));
  return { chunk, sizeNode, sizeText };
}

/** The last chunk (size 0), then the trailer fields and the blank line that end the body (§7.1.2). */
function readLastChunk(
  cursor: LineCursor,
  base: number,
  bytes: Uint8Array,
  chunk: WireNode,
  chunks: WireNode[],
  message: ParsedMessage,
  settle: (endLocal: number, complete: boolean) => ParsedMessage,
  malformed: Malformed,
): ParsedMessage {
  chunk.kind = 'last-chunk';
  chunk.label = 'Last chunk';
  const trailers: WireNode = { kind: 'trailers', label: 'Trailers', range: { start: cursor.absolute, end: cursor.absolute }, children: [] };
  const trailerList: HeaderList = [];
  const end = readFieldLines(cursor, base, bytes, trailers, trailerList, new Map());
  trailers.value = String(trailerList.length);
  if (trailerList.length > 0 || end === 'incomplete') chunks.push(trailers);
  if (end === 'incomplete') return settle(bytes.length, false);
  if ('error' in end) return malformed(end.node, end.error);
  message.headers.push(...trailerList);
  chunks.push(end.blankLine);
  return settle(cursor.at, true);
}

/** A chunk read to its CRLF: the same bytes decode the same way next time. */
interface CompleteChunk {
  node: WireNode;
  /** its data, stream offsets */
  data: { start: number; end: number };
  /** stream offset after its CRLF */
  end: number;
}

function joinBytes(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const joined = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

/** A request may be preceded by empty lines (RFC 9112 §2.2): they belong to no message. */
function strayEmptyLines(bytes: Uint8Array, from: number): number {
  let at = from;
  for (;;) {
    if (bytes[at] === CR && bytes[at + 1] === LF) at += 2;
    else if (bytes[at] === LF) at += 1;
    else return at;
  }
}

/** Index (in the segment) of the first start line at or after `from` that begins a line, or -1. */
function findStartLine(segment: StreamSegment, from: number, kind: MessageKind): number {
  const text = latin1.decode(segment.bytes.subarray(from));
  const pattern = new RegExp(kind === 'request' ? REQUEST_LINE : STATUS_LINE);
  const match = pattern.exec(text);
  if (!match) return -1;
  const lineStart = match[0].startsWith('\n') ? match.index + 1 : match.index;
  return from + lineStart;
}
