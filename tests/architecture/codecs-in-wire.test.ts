// The codecs of the public wire formats live in wire/ only (README, Layout; issue 34): a gRPC
// framing bug is fixed in one place. This scans server/, web/, bench/, contracts/ and shared/ for
// codec-shaped code (codec-shapes.ts: the names of encoders and decoders of frames, envelopes and
// packets, of remaining-length and topic-rule functions; a 4-byte length at offset 1, 7-bit
// length groups, WebSocket payload lengths, SSE fields written by hand). What it finds there
// must be listed below with the reason it stays; the list only shrinks: a new finding fails, and
// a listed one that is gone fails until its line here is removed.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codecFindings, codecShapesIn, type CodecFinding } from './codec-shapes.ts';
import { ROOT, sourceFiles } from './function-lengths.ts';

const FOLDERS = ['server', 'web', 'bench', 'contracts', 'shared'];
/** Parses every source file of these folders: a few seconds on an idle machine, more on a busy one. */
const WHOLE_TREE_TIMEOUT_MS = 60_000;

/** "file rule" → why that file still has that shape. */
const STILL_OUTSIDE: Record<string, string> = {
  'server/classroom/relay-envelope.ts frame-codec-name': "the classroom relay's own envelope between its instances, not a public format",
  'server/scale/chat-relay.ts frame-codec-name': "a chat room's message as the instances relay it over Redis, our own JSON, not a public format",
  'server/protocols/mqtt/client-packet-rules.ts topic-rules':
    "words wire/mqtt/topic-rules.ts's answer as the conformance clause the broker refuses with (UTF-8 checked by Node's isUtf8)",
  'web/editors/mqtt/topic-rules.ts topic-rules':
    "words wire/mqtt/topic-rules.ts's answer for the console, and refuses $ topics, which the console keeps for the broker",
  'web/editors/as-code/websocket-terminal.ts websocket-length':
    'a bash program the student runs (the frame written by hand is the lesson), text, not code of ours',
  'contracts/capture-channel/messages.ts frame-codec-name':
    "the capture channel's frame is our own format, and contracts/ is where our own formats live (PROTOCOL.md)",
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
    ].join('\n');
    expect(codecShapesIn('server/x.ts', ordinary)).toEqual([]);
  });
});
