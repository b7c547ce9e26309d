// The gRPC relay's HTTP/2 connection says nothing of the student's until the server has shown it
// speaks HTTP/2 (issue 36): node:http2 would send the connection preface, its SETTINGS and, in
// the same write, the first call's HEADERS and DATA — a message whose string field holds
// "\nSET key value\n" is a command line to a Redis or memcached listening at the target. The
// server's preface is a SETTINGS frame, its first (RFC 9113 §3.4): until it has come, only the
// client preface and frames on stream 0 (SETTINGS, WINDOW_UPDATE, PING: node's own) go out, and
// every stream's frames wait; an answer that does not begin with a SETTINGS frame ends the connection.
import { Duplex } from 'node:stream';
import { CLIENT_PREFACE, FRAME_HEADER_BYTES, isServerPreface as opensServerPreface, readFrameHeader } from '../../wire/http2/frames.ts';

/** The error a connection ends with when the server's first bytes are not an HTTP/2 SETTINGS frame. */
export class NotHttp2Error extends Error {
  /** the first bytes in hex pairs */
  readonly hex: string;

  constructor(firstBytes: Buffer) {
    const hex = firstBytes.toString('hex').replace(/(..)(?!$)/g, '$1 ');
    super(`the server's first bytes are not an HTTP/2 SETTINGS frame: ${hex}`);
    this.name = 'NotHttp2Error';
    this.hex = hex;
  }
}

/** Splits what node:http2 writes into what may go now and what waits for the server's SETTINGS. */
export class OutboundFrames {
  private prefaceLeft = CLIENT_PREFACE.length;
  private header = Buffer.alloc(0);
  /** bytes of the current frame still to come, and whether that frame may go before the server spoke */
  private frameLeft = 0;
  private frameFree = true;
  private holding = false;

  /** `[now, later]`: once one frame waits, everything after it waits too (the order is HTTP/2's). */
  split(chunk: Buffer): [Buffer, Buffer] {
    const now: Buffer[] = [];
    const later: Buffer[] = [];
    let at = 0;
    const take = (length: number, free: boolean) => {
      const piece = chunk.subarray(at, at + length);
      at += piece.length;
      if (!free) this.holding = true;
      (this.holding ? later : now).push(piece);
      return piece.length;
    };
    while (at < chunk.length) {
      if (this.prefaceLeft > 0) this.prefaceLeft -= take(this.prefaceLeft, true);
      else if (this.frameLeft > 0) this.frameLeft -= take(this.frameLeft, this.frameFree);
      else {
        const needed = FRAME_HEADER_BYTES - this.header.length;
        const piece = chunk.subarray(at, at + needed);
        this.header = Buffer.concat([this.header, piece]);
        at += piece.length;
        if (this.header.length < FRAME_HEADER_BYTES) break;
        const header = readFrameHeader(this.header, 0);
        this.frameFree = header.streamId === 0;
        if (!this.frameFree) this.holding = true;
        (this.holding ? later : now).push(this.header);
        this.frameLeft = header.length;
        this.header = Buffer.alloc(0);
      }
    }
    return [Buffer.concat(now), Buffer.concat(later)];
  }
}

/** Is this the start of a server's preface: a SETTINGS frame on stream 0, not an ACK, of whole settings? */
export function isServerPreface(first: Buffer): boolean {
  return opensServerPreface(readFrameHeader(first, 0));
}

/**
 * A Duplex between node:http2 and the connection: reads pass at once (after the first 9 bytes
 * are checked), writes of a stream's frames wait for the server's SETTINGS.
 */
export function serverSpeaksFirst(connection: Duplex): Duplex {
  const frames = new OutboundFrames();
  let firstBytes = Buffer.alloc(0);
  let serverSpoke = false;
  let waiting: Buffer[] = [];
  const gate: Duplex = new Duplex({
    read() {
      connection.resume();
    },
    write(chunk: Buffer, _encoding, done) {
      if (serverSpoke) return connection.write(chunk, done);
      const [now, later] = frames.split(chunk);
      if (later.length > 0) waiting.push(later);
      if (now.length > 0) return connection.write(now, done);
      done();
    },
    final(done) {
      connection.end();
      done();
    },
    destroy(error, done) {
      connection.destroy(error ?? undefined);
      done(error);
    },
  });
  connection.on('data', (chunk: Buffer) => {
    if (!serverSpoke) {
      firstBytes = Buffer.concat([firstBytes, chunk]);
      if (firstBytes.length < FRAME_HEADER_BYTES) return;
      if (!isServerPreface(firstBytes)) return void gate.destroy(new NotHttp2Error(firstBytes.subarray(0, 16)));
      serverSpoke = true;
      for (const held of waiting) connection.write(held);
      waiting = [];
      chunk = firstBytes;
    }
    if (!gate.push(chunk)) connection.pause();
  });
  connection.once('end', () => gate.push(null));
  connection.once('error', (error) => gate.destroy(error));
  connection.once('close', () => gate.destroy());
  connection.once('connect', () => gate.emit('connect'));
  return gate;
}
