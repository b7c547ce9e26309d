// What an HTTP/1.1 connection received, as a transcript: the bytes as they came, with a note line
// before each chunk's size line of a chunked body (RFC 9112 §7.1). The framing is shown, not
// removed: a student whose server writes a wrong size sees it, and learns what `1a` before an
// SSE event is. The messages are read by wire/http1, as the inspector reads them.
import { chunkNote } from '../../contracts/own-server/transcript-notes.ts';
import { latin1 } from '../../wire/http1/http1-bytes.ts';
import { Http1MessageReader } from '../../wire/http1/http1-message-reader.ts';
import { assembleStream } from '../../wire/stream-assembler.ts';
import type { WireNode } from '../../wire/types.ts';
import { printable } from './check-kit.ts';
import { OWN_SERVER_LIMITS } from './limits.ts';

interface Note {
  offset: number;
  line: string;
}

/** The notes of one message's chunked body: each before its chunk's size line. */
function chunkNotes(bytes: Uint8Array, tree: WireNode): Note[] {
  const notes: Note[] = [];
  const visit = (node: WireNode) => {
    const size = node.kind === 'chunk' || node.kind === 'last-chunk' ? node.children?.find((child) => child.kind === 'chunk-size') : undefined;
    if (size) {
      const sizeLine = latin1(bytes, size.range.start, size.range.end);
      notes.push({ offset: node.range.start, line: chunkNote(Number.parseInt(sizeLine, 16), sizeLine) });
      return;
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(tree);
  return notes;
}

/** The received bytes of an HTTP/1.1 connection, cut to the report's size, with chunk notes. */
export function receivedHttp1(bytes: Uint8Array, requestMethod = 'GET', limit: number = OWN_SERVER_LIMITS.transcriptChars): string {
  const stream = assembleStream('transcript', 'in', [{ conn: 'transcript', seq: 0, dir: 'in', t: 0, offset: 0, data: bytes }]);
  const reader = new Http1MessageReader(stream, 'response');
  const notes: Note[] = [];
  for (let message = reader.read(requestMethod); message; message = reader.read(requestMethod)) {
    if (message.framing === 'chunked') notes.push(...chunkNotes(bytes, message.tree));
    if (message.malformed || !message.complete) break;
  }
  if (notes.length === 0) return printable(Buffer.from(bytes), limit);
  let text = '';
  let from = 0;
  for (const note of notes) {
    const before = printable(Buffer.from(bytes.subarray(from, note.offset)), Number.POSITIVE_INFINITY);
    text += `${before}${before === '' || before.endsWith('\n') ? '' : '\n'}${note.line}\n`;
    from = note.offset;
  }
  text += printable(Buffer.from(bytes.subarray(from)), Number.POSITIVE_INFINITY);
  return text.length > limit ? `${text.slice(0, limit)}… (${bytes.length} B)` : text;
}
