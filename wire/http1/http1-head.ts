import type { HeaderList } from '../types.ts';
import { Http1MessageReader, type MessageKind } from './http1-message-reader.ts';
import { ByteStream } from '../stream-assembler.ts';

// The head of one HTTP/1.1 message at the start of some bytes (RFC 9112 §2.1: a start line, field
// lines, an empty line), read with the inspector's message reader: for a client of ours that
// speaks HTTP/1.1 by hand and must read the answer's head itself (the check kit's WebSocket
// handshake, server/own-server/websocket-client.ts), so it reads it as the inspector does.

export interface Http1Head {
  /** method, target, version — or version, status code, reason phrase */
  startLine: [string, string, string];
  headers: HeaderList;
  /** where the head ends (after its empty line): the body, or another protocol's bytes, start here */
  end: number;
  /** the first rule of RFC 9112 the head breaks (an error code of the inspector's tree: `malformed-status-line`…), if any */
  error?: string;
}

/**
 * The head at the start of `bytes`, once its empty line has come; null while it has not.
 * A head that cannot be read (a start line that is not HTTP's, a field line without a colon)
 * is answered as soon as that is clear, with `error` and `end` at the end of `bytes`.
 */
export function readHttp1Head(bytes: Uint8Array, kind: MessageKind): Http1Head | null {
  const stream = new ByteStream('', kind === 'request' ? 'in' : 'out', [{ start: 0, bytes, marks: [{ offset: 0, t: 0 }], gapBefore: false }], false);
  const message = new Http1MessageReader(stream, kind).read();
  if (!message) return null;
  if (message.malformed) return { startLine: message.startLine, headers: message.headers, end: bytes.length, error: message.tree.error };
  if (message.bodyStart <= message.range.start) return null;
  return { startLine: message.startLine, headers: message.headers, end: message.bodyStart };
}
