/**
 * Where each HTTP/1.1 request starts and ends in a connection's inbound bytes, so the tap can
 * give every exchange of a keep-alive connection to the session of its own request (two
 * sessions' requests on one connection: a proxy that reuses its upstream connections).
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

type Phase =
  | { kind: 'head'; text: string }
  | { kind: 'body'; left: number }
  | { kind: 'chunk-size'; line: string }
  | { kind: 'chunk-data'; left: number }
  | { kind: 'chunk-end'; line: string }
  | { kind: 'trailers'; line: string }
  /** after an upgrade (WebSocket) or CONNECT: the rest of the connection is that request's */
  | { kind: 'tunnel' }
  | { kind: 'lost' };

const startOfHead = (): Phase => ({ kind: 'head', text: '' });

export class Http1RequestFramer {
  private request = 0;
  private phase: Phase = startOfHead();
  /** the request lines (method and target) of requests framed and not yet matched */
  private readonly requestLines = new Map<number, string>();

  /** The request the next inbound byte belongs to. */
  get currentRequest(): number {
    return this.request;
  }

  /** The last request of which any byte has arrived (-1: none yet). */
  get lastRequestSeen(): number {
    const fresh = this.phase.kind === 'head' && this.phase.text === '';
    return fresh ? this.request - 1 : this.request;
  }

  /**
   * The first request from `from` on whose request line is `line` ("GET /path"), or null; the
   * lines up to it (or up to `from`) are forgotten.
   */
  findRequest(line: string, from: number): number | null {
    for (let request = from; request <= this.request; request++) {
      if (this.requestLines.get(request) !== line) continue;
      for (const known of this.requestLines.keys()) if (known <= request) this.requestLines.delete(known);
      return request;
    }
    for (const known of this.requestLines.keys()) if (known <= from) this.requestLines.delete(known);
    return null;
  }

  /** Cuts a chunk of inbound bytes into pieces, each of one request. */
  push(chunk: Buffer): FramedPiece[] {
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
  private step(chunk: Buffer, at: number): number {
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

  private readHead(phase: Extract<Phase, { kind: 'head' }>, chunk: Buffer, at: number): number {
    const before = phase.text.length;
    const limit = Math.min(chunk.length, at + Math.max(0, HEAD_LIMIT + 4 - before));
    // Only up to the next possible end of the head is turned into text: a chunk that holds a
    // head and 64 KiB of body converts the head only.
    for (let from = at; from < limit; ) {
      const bareLf = chunk.indexOf('\n\n', from);
      const crLf = chunk.indexOf('\n\r\n', from);
      let upTo = limit;
      if (bareLf !== -1) upTo = Math.min(upTo, bareLf + 2);
      if (crLf !== -1) upTo = Math.min(upTo, crLf + 3);
      const textStart = phase.text.length;
      phase.text += latin1(chunk, from, upTo);
      from = upTo;
      // Empty lines before a request line are skipped by Node's parser: they belong to the request.
      const lead = /^(?:\r?\n)*/.exec(phase.text)![0].length;
      if (lead === phase.text.length) continue;
      const blankLine = /\n\r?\n/g;
      blankLine.lastIndex = Math.max(lead, textStart - 2);
      const found = blankLine.exec(phase.text);
      if (found) {
        const end = found.index + found[0].length;
        this.phase = this.afterHead(phase.text.slice(lead, end));
        return end - before;
      }
    }
    if (phase.text.length > HEAD_LIMIT) this.phase = { kind: 'lost' };
    return limit - at;
  }

  private afterHead(head: string): Phase {
    const lines = head.split(/\r?\n/);
    const [method, target] = lines[0].split(' ');
    this.requestLines.set(this.request, `${method} ${target}`);
    const headers = new Map<string, string[]>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
    }
    const connection = (headers.get('connection') ?? []).join(',').toLowerCase();
    if (method === 'CONNECT' || (headers.has('upgrade') && /(?:^|,)\s*upgrade\s*(?:,|$)/.test(connection))) return { kind: 'tunnel' };
    const codings = (headers.get('transfer-encoding') ?? []).join(',').toLowerCase().split(',').map((c) => c.trim());
    if (codings.length > 0 && codings[codings.length - 1] === 'chunked') return { kind: 'chunk-size', line: '' };
    const length = headers.get('content-length')?.[0];
    if (length === undefined) return this.nextRequest();
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

function latin1(chunk: Uint8Array, start: number, end: number): string {
  return Buffer.from(chunk.buffer, chunk.byteOffset + start, end - start).toString('latin1');
}
