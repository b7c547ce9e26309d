// The codecs of the public wire formats live in wire/ only (README, Layout; issues 34 and 56): a
// gRPC framing bug, or how an SSE stream is read, is fixed in one place. This scans server/, web/,
// bench/, contracts/ and shared/ for codec-shaped code (codec-shapes.ts: the names of encoders and
// decoders of frames, envelopes and packets, of remaining-length, MQTT field and topic-rule
// functions; a 4-byte length at offset 1, 7-bit length groups, WebSocket payload lengths, SSE
// fields written by hand) and parser-shaped code (HTTP/2 frame headers read by offset, HTTP heads
// and event streams split into lines by hand, opcode tables, close codes read by hand or written
// as numbers where wire/ names them, Engine.IO's separator, the capture frame's layout). What it
// finds there must be listed below with the reason it stays; the list only shrinks: a new
// finding fails, and a listed one that is gone fails until its line here is removed. tests/ is
// not scanned: a test reads the bytes with a reader of its own on purpose, an oracle that does
// not share wire/'s mistakes.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codecFindings, codecShapesIn, type CodecFinding } from './codec-shapes.ts';
import { ROOT, sourceFiles } from './function-lengths.ts';

const FOLDERS = ['server', 'web', 'bench', 'contracts', 'shared'];
/** Parses every source file of these folders: a few seconds on an idle machine, more on a busy one. */
const WHOLE_TREE_TIMEOUT_MS = 60_000;

/** "file rule" → why that file still has that shape. */
const STILL_OUTSIDE: Record<string, string> = {
  'server/classroom/relay/relay-envelope.ts frame-codec-name': "the classroom relay's own envelope between its instances, not a public format",
  'server/scale/chat-relay.ts frame-codec-name': "a chat room's message as the instances relay it over Redis, our own JSON, not a public format",
  'server/protocols/mqtt/client-packet-rules.ts topic-rules':
    "words wire/mqtt/topic-rules.ts's answer as the conformance clause the broker refuses with (UTF-8 checked by Node's isUtf8)",
  'web/editors/mqtt/topic-rules.ts topic-rules':
    "words wire/mqtt/topic-rules.ts's answer for the console, and refuses $ topics, which the console keeps for the broker",
  'web/editors/as-code/websocket-terminal.ts websocket-length':
    'a bash program the student runs (the frame written by hand is the lesson), text, not code of ours',
  'contracts/capture-channel/messages.ts frame-codec-name':
    "the capture channel's frame is our own format, and contracts/ is where our own formats live (PROTOCOL.md)",
  'contracts/capture-channel/messages.ts length-headed-frame': "the capture frame's layout's one owner (the classroom relay's envelope writes with it)",
  'server/own-server/mqtt-client.ts http-head-split':
    "prints the first line of an answer that is not MQTT (an HTTP server on the port) as text for the check's log; it reads no field of it",
  'web/editors/websocket/strings.ts close-code-table':
    "the console's words for a close the browser reported (its CloseEvent's code, no byte read), worded as lesson 06's table; the inspector's names (wire/websocket/close-codes.ts) are the registry's",
};

const keyOf = (finding: CodecFinding) => `${finding.file} ${finding.rule}`;

/** What breaks the rule: a codec shape not listed, a listed one no longer there. */
function breaches(findings: CodecFinding[], allowed: Record<string, string>): string[] {
  const found = new Set(findings.map(keyOf));
  return [
    ...findings
      .filter((finding) => !(keyOf(finding) in allowed))
      .map((finding) => `${finding.file}:${finding.line} ${finding.text}: use (or add) the codec in wire/`),
    ...Object.keys(allowed)
      .filter((key) => !found.has(key))
      .map((key) => `${key} is no longer found: remove it from STILL_OUTSIDE`),
  ];
}

/** Code the server had before issue 34 moved it to wire/: each must still be found. */
const OLD_SHAPES: Record<string, string> = {
  'a Connect end-stream envelope written with Buffer': [
    'const envelope = Buffer.alloc(5 + endStream.byteLength);',
    'envelope[0] = CONNECT_END_STREAM_FLAG;',
    'envelope.writeUInt32BE(endStream.byteLength, 1);',
  ].join('\n'),
  'an envelope written with a DataView': 'new DataView(envelope.buffer).setUint32(1, data.byteLength);',
  'an envelope read with a DataView': 'const length = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength).getUint32(1);',
  'an envelope read from a Buffer': 'if (body.readUInt32BE(1) + ENVELOPE_HEADER_BYTES !== body.byteLength) return null;',
  "the bench's envelope":
    'function grpcEnvelope(message: Uint8Array): Buffer {\n  const header = Buffer.alloc(5);\n  header.writeUInt32BE(message.byteLength, 1);\n}',
  'a remaining length read byte by byte': 'remaining += (byte & 0x7f) * 2 ** shift;',
  "the size guard's remaining length": 'this.length += (byte & 0x7f) * 2 ** (7 * this.lengthBytes++);',
  "the packet gate's remaining length": 'length += (byte & 0x7f) * 128 ** (i - 1);',
  'a topic matcher': 'export function topicMatches(filter: string, topic: string): boolean { return false; }',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: source text the scan reads, not a template
  'SSE fields written by hand': 'response.write(`event: state\\ndata: ${JSON.stringify(state)}\\n\\n`);',
  'a WebSocket frame read by hand': 'let length = second & 0x7f;\nif (length === 126) {}',
  'a frame encoder': 'export const encodeGrpcWebFrame = (data: Uint8Array) => data;',
  // issue 56: parsers, as the server had them before they moved
  'an event stream split into lines': 'const lines = (this.partial + text).split(/\\r\\n|\\r|\\n/);',
  'an SSE field read by its name': "else if (line.startsWith('data:')) current.data += line.slice(5);",
  "an HTTP/2 frame's stream id read by offset": 'this.frameFree = (this.header.readUInt32BE(5) & 0x7fffffff) === 0;',
  "an HTTP/2 frame's length read by offset": 'this.frameLeft = this.header.readUIntBE(0, 3);',
  'an HTTP/2 frame type as a number': 'const SETTINGS = 0x4;',
  'a table of WebSocket opcodes': 'export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;',
  'a table of opcode names': "const names: Record<number, string> = { 0: 'continuation', 1: 'text', 2: 'binary' };",
  "an HTTP head's end found by hand": "const end = buffer.indexOf('\\r\\n\\r\\n');",
  'an HTTP head split into field lines': "const [statusLine, ...headerLines] = answer.head.split('\\r\\n');",
  'a close code read by hand': 'return frame && frame.opcode === OPCODE.close && frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : null;',
  'a graphql-transport-ws close code as a number': "closeCheck('ws-second-init-4429', 4429, name, expected);",
  'a close code compared as a number': 'if (code === 4408) return;',
  'a table of close codes': "const meanings: Record<number, string> = { 1000: 'normal closure', 1001: 'going away', 1002: 'protocol error' };",
  "Engine.IO's separator by hand": "const SEPARATOR = '\\x1e';",
  "an MQTT body's fields read by hand": 'class Fields { lengthPrefixed(): Uint8Array | undefined { return undefined; } }',
  "the capture frame's layout written again": 'length.writeUInt32BE(header.length, 0);',
  "the capture frame's layout read again": 'const headerLength = bytes.readUInt32BE(0);',
};

describe('codecs of public wire formats live in wire/', () => {
  it(
    'server/, web/, bench/, contracts/ and shared/ define none, but for the listed exceptions, which only shrink',
    () => {
      const files = FOLDERS.flatMap((folder) => sourceFiles(join(ROOT, folder)));
      expect(files.length).toBeGreaterThan(500);
      expect(breaches(codecFindings(files), STILL_OUTSIDE)).toEqual([]);
    },
    WHOLE_TREE_TIMEOUT_MS,
  );

  it('finds the codecs the server wrote by hand before they moved (the check can fail)', () => {
    for (const [what, code] of Object.entries(OLD_SHAPES)) expect(codecShapesIn('server/x.ts', code), what).not.toEqual([]);
    const old = codecShapesIn('server/x.ts', OLD_SHAPES['an envelope read from a Buffer']);
    expect(breaches(old, {})).toEqual([`server/x.ts:1 ${old[0]?.text}: use (or add) the codec in wire/`]);
    expect(breaches([], { 'server/gone.ts envelope-length': 'moved' })).toEqual([
      'server/gone.ts envelope-length is no longer found: remove it from STILL_OUTSIDE',
    ]);
  });

  it('does not take ordinary code for a codec', () => {
    const ordinary = [
      'const header = Buffer.alloc(4); header.writeUInt32BE(expiresAt, RANDOM_BYTES);',
      'const port = server.address().port; if (codes.length < 1260) return;',
      'export function parseTemplate(template: string) { return template; }',
      'stream.write(formatEvent({ event: "state", data: JSON.stringify(state) }));',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text the scan reads, not a template
      "const request = [`GET ${path} HTTP/1.1`, 'Upgrade: websocket', '', ''].join('\\r\\n');",
      'if (code < 4400 || code > 4599) return null;',
      'export const RELAY_CLOSE = { badRequest: 4400, refused: 4403, busy: 4429 } as const;',
      'socket.close(RELAY_CLOSE.busy, reason);',
      "const text = JSON.stringify({ code: 'x', data: 'y' });",
    ].join('\n');
    expect(codecShapesIn('server/x.ts', ordinary)).toEqual([]);
  });
});
