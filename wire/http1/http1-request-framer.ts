import { joinBytes, latin1 } from './http1-bytes.ts';

/**
 * Where each HTTP/1.1 request starts and ends in a connection's inbound bytes, as they arrive, so
 * the byte tap (server/tap/) can give every exchange of a keep-alive connection to the session of
 * its own request (two sessions' requests on one connection: a proxy that reuses its upstream
 * connections), and the pace (server/limits/) can cut a connection's input by request.
 *
 * Not http1-message-reader.ts: that one reads a whole recorded stream again on every call and
 * builds the inspector's tree of every field; this one runs for every live request, recorded or
 * not, keeps its place between chunks and turns at most four header lines into text.
 *
 * It frames, it does not validate: Node's parser reads the same bytes and refuses what is
 * malformed (and closes the connection). Request n here is the n-th request Node announces.
 * What it cannot frame (a head past HEAD_LIMIT, a chunk size that is no number) it gives up on:
 * from there on every byte is `UNFRAMED`, and the tap records it for nobody.
 */

/** The inbound bytes that belong to no request the framer can name. */
export const UNFRAMED = -1;

/** Longer than any head Node accepts (16 KiB, the server's maxHeaderSize), with room to spare. */
const HEAD_LIMIT = 64 * 1024;
/** A chunk-size line or a trailer line longer than this is not framed. */
const LINE_LIMIT = 8 * 1024;

export interface FramedPiece {
  /** bytes of the chunk this piece covers, from where the previous piece ended */
  length: number;
  /** which request of the connection (0, 1, …), or UNFRAMED */
  request: number;
}

/**
 * The head being read, line by line as its bytes arrive: only the request line and the four
 * headers that decide where the request ends are turned into text (this runs for every request
 * of every tapped connection, recorded or not).
 */
interface Head {
  kind: 'head';
  /** bytes of this head so far, empty lines before its request line included */
  bytes: number;
  /** the start of a line whose end has not arrived yet (copies: rare, and bounded by HEAD_LIMIT) */
  partial: Uint8Array[];
  /** the request line has come */
  started: boolean;
  /** "METHOD target", as Node announces the request (null unless the framer keeps request lines) */
  requestLine: string | null;
  /** the method is CONNECT: the rest of the connection is the tunnel's */
  connect: boolean;
  /** the first Content-Length value */
  contentLength: string | null;
  /** the last transfer coding named is chunked */
  chunked: boolean;
  upgrade: boolean;
  connectionUpgrade: boolean;
}

type Phase =
  | Head
  | { kind: 'body'; left: number }
  | { kind: 'chunk-size'; line: string }
  | { kind: 'chunk-data'; left: number }
  | { kind: 'chunk-end'; line: string }
  | { kind: 'trailers'; line: string }
  /** after an upgrade (WebSocket) or CONNECT: the rest of the connection is that request's */
  | { kind: 'tunnel' }
  | { kind: 'lost' };

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;
const TAB = 9;

const startOfHead = (): Head => ({
  kind: 'head',
  bytes: 0,
  partial: [],
  started: false,
  requestLine: null,
  connect: false,
  contentLength: null,
  chunked: false,
  upgrade: false,
  connectionUpgrade: false,
});

export class Http1RequestFramer {
  private request = 0;
  private phase: Phase = startOfHead();
  /** the request lines (method and target) of requests framed and not yet matched, oldest first */
  private readonly requestLines: Array<{ request: number; line: string }> = [];

  /**
   * @param keepRequestLines note each request's method and target for findRequest (the tap's
   *   matching): a framer that only cuts (the pace, server/limits/) leaves them out
   */
  constructor(public keepRequestLines = true) {}

  /** The request the next inbound byte belongs to. */
  get currentRequest(): number {
    return this.request;
  }

  /** The last request of which any byte has arrived (-1: none yet). */
  get lastRequestSeen(): number {
    const fresh = this.phase.kind === 'head' && this.phase.bytes === 0;
    return fresh ? this.request - 1 : this.request;
  }

  /**
   * The first request from `from` on whose request line is `line` ("GET /path"), or null; the
   * lines up to it (or up to `from`) are forgotten.
   */
  findRequest(line: string, from: number): number | null {
    const lines = this.requestLines;
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].request < from || lines[i].line !== line) continue;
      const found = lines[i].request;
      lines.splice(0, i + 1);
      return found;
    }
    let forgotten = 0;
    while (forgotten < lines.length && lines[forgotten].request <= from) forgotten += 1;
    lines.splice(0, forgotten);
    return null;
  }

  /** Cuts a chunk of inbound bytes into pieces, each of one request. */
  push(chunk: Uint8Array): FramedPiece[] {
    const pieces: FramedPiece[] = [];
    let at = 0;
    while (at < chunk.length) {
      const request = this.phase.kind === 'lost' ? UNFRAMED : this.request;
      const used = this.step(chunk, at);
      const last = pieces[pieces.length - 1];
      if (last && last.request === request) last.length += used;
      else pieces.push({ length: used, request });
      at += used;
    }
    return pieces;
  }

  /** Reads what the current phase takes from chunk[at…]; returns how many bytes. */
  private step(chunk: Uint8Array, at: number): number {
    const phase = this.phase;
    switch (phase.kind) {
      case 'tunnel':
      case 'lost':
        return chunk.length - at;
      case 'body':
      case 'chunk-data': {
        const used = Math.min(phase.left, chunk.length - at);
        phase.left -= used;
        if (phase.left === 0) this.phase = phase.kind === 'body' ? this.nextRequest() : { kind: 'chunk-end', line: '' };
        return used;
      }
      case 'head':
        return this.readHead(phase, chunk, at);
      case 'chunk-size':
      case 'chunk-end':
      case 'trailers': {
        const newline = chunk.indexOf(10, at);
        const end = newline === -1 ? chunk.length : newline + 1;
        phase.line += latin1(chunk, at, end);
        if (phase.line.length > LINE_LIMIT) {
          this.phase = { kind: 'lost' };
          return end - at;
        }
        if (newline !== -1) this.endOfLine(phase);
        return end - at;
      }
    }
  }

  /**
   * Reads whole lines of the head up to the empty line that ends it. Only the head is read: a
   * chunk that holds a head and 64 KiB of body stops at the head's end.
   */
  private readHead(head: Head, chunk: Uint8Array, at: number): number {
    // A head past the limit is given up on where the limit falls (no head Node accepts is that long).
    const window = Math.min(chunk.length, at + Math.max(0, HEAD_LIMIT + 4 - head.bytes));
    let from = at;
    while (from < window) {
      const newline = chunk.indexOf(LF, from);
      if (newline === -1 || newline >= window) {
        // a copy: the caller may reuse its chunk's memory once push returns
        head.partial.push(new Uint8Array(chunk.subarray(from, window)));
        head.bytes += window - from;
        if (head.bytes > HEAD_LIMIT) this.phase = { kind: 'lost' };
        return window - at;
      }
      head.bytes += newline + 1 - from;
      let line = chunk;
      let start = from;
      let end = newline;
      if (head.partial.length > 0) {
        head.partial.push(chunk.subarray(from, newline));
        line = joinBytes(head.partial);
        head.partial = [];
        start = 0;
        end = line.length;
      }
      from = newline + 1;
      if (end > start && line[end - 1] === CR) end -= 1;
      if (end === start) {
        // Empty lines before a request line are skipped by Node's parser: they belong to the request.
        if (!head.started) continue;
        this.phase = this.afterHead(head);
        return from - at;
      }
      if (!head.started) {
        head.started = true;
        head.connect = isConnect(line, start, end);
        if (this.keepRequestLines) head.requestLine = requestLineOf(line, start, end);
      } else readHeaderLine(head, line, start, end);
    }
    if (head.bytes > HEAD_LIMIT) this.phase = { kind: 'lost' };
    return from - at;
  }

  private afterHead(head: Head): Phase {
    if (head.requestLine !== null) this.requestLines.push({ request: this.request, line: head.requestLine });
    if (head.connect || (head.upgrade && head.connectionUpgrade)) return { kind: 'tunnel' };
    if (head.chunked) return { kind: 'chunk-size', line: '' };
    const length = head.contentLength;
    if (length === null) return this.nextRequest();
    if (!/^\d{1,15}$/.test(length)) return { kind: 'lost' };
    return Number(length) === 0 ? this.nextRequest() : { kind: 'body', left: Number(length) };
  }

  private endOfLine(phase: Extract<Phase, { kind: 'chunk-size' | 'chunk-end' | 'trailers' }>): void {
    const line = phase.line.replace(/\r?\n$/, '');
    if (phase.kind === 'chunk-end') {
      this.phase = line === '' ? { kind: 'chunk-size', line: '' } : { kind: 'lost' };
      return;
    }
    if (phase.kind === 'trailers') {
      this.phase = line === '' ? this.nextRequest() : { kind: 'trailers', line: '' };
      return;
    }
    const size = line.split(';')[0].trim();
    if (!/^[0-9a-fA-F]{1,12}$/.test(size)) {
      this.phase = { kind: 'lost' };
      return;
    }
    const bytes = parseInt(size, 16);
    this.phase = bytes === 0 ? { kind: 'trailers', line: '' } : { kind: 'chunk-data', left: bytes };
  }

  private nextRequest(): Phase {
    this.request += 1;
    return startOfHead();
  }
}

/** "METHOD target" of a request line ("GET /x HTTP/1.1" → "GET /x"), as Node's request names them. */
function requestLineOf(line: Uint8Array, start: number, end: number): string {
  const afterMethod = line.indexOf(SPACE, start);
  // No target: a line Node refuses; it matches no request Node announces.
  if (afterMethod === -1 || afterMethod >= end) return `${latin1(line, start, end)} undefined`;
  const afterTarget = line.indexOf(SPACE, afterMethod + 1);
  return latin1(line, start, afterTarget === -1 || afterTarget >= end ? end : afterTarget);
}

const CONNECT = [0x43, 0x4f, 0x4e, 0x4e, 0x45, 0x43, 0x54]; // "CONNECT"

/** Is the method of this request line CONNECT? */
function isConnect(line: Uint8Array, start: number, end: number): boolean {
  if (end - start < CONNECT.length || (end - start > CONNECT.length && line[start + CONNECT.length] !== SPACE)) return false;
  return CONNECT.every((byte, i) => line[start + i] === byte);
}

/** The first letter (lower case) of the header names of each length that decide where a request ends. */
const LOWER_C = 0x63;
const LOWER_T = 0x74;
const LOWER_U = 0x75;
const FIRST_LETTER_OF: Record<number, number> = {
  7: LOWER_U /* upgrade */,
  10: LOWER_C /* connection */,
  14: LOWER_C /* content-length */,
  17: LOWER_T /* transfer-encoding */,
};

/**
 * Notes what a header line says about where its request ends. Names Node accepts are tokens (no
 * spaces inside), so only the lengths of the four names that matter are turned into text.
 */
function readHeaderLine(head: Head, line: Uint8Array, start: number, end: number): void {
  let nameStart = start;
  while (nameStart < end && (line[nameStart] === SPACE || line[nameStart] === TAB)) nameStart += 1;
  // Most lines (host, accept…, user-agent, cookie) are passed over by their first letter alone.
  const first = line[nameStart] | 0x20;
  if (first !== LOWER_C && first !== LOWER_T && first !== LOWER_U) return;
  const colon = line.indexOf(COLON, nameStart);
  if (colon === -1 || colon >= end || colon === nameStart) return;
  let nameEnd = colon;
  while (nameEnd > nameStart && (line[nameEnd - 1] === SPACE || line[nameEnd - 1] === TAB)) nameEnd -= 1;
  // (a name of another length, or of this length and another first letter, is not turned into text)
  if (first !== FIRST_LETTER_OF[nameEnd - nameStart]) return;
  const name = latin1(line, nameStart, nameEnd).toLowerCase();
  if (name === 'upgrade') head.upgrade = true;
  else if (name === 'connection') {
    for (const option of latin1(line, colon + 1, end)
      .toLowerCase()
      .split(','))
      if (option.trim() === 'upgrade') head.connectionUpgrade = true;
  } else if (name === 'content-length') {
    head.contentLength ??= latin1(line, colon + 1, end).trim();
  } else if (name === 'transfer-encoding') {
    // The codings of every Transfer-Encoding line, in order: the last one decides.
    const codings = latin1(line, colon + 1, end);
    head.chunked =
      codings
        .slice(codings.lastIndexOf(',') + 1)
        .trim()
        .toLowerCase() === 'chunked';
  }
}
