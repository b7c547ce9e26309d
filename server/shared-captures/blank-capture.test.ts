import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../wire/capture-file/read-capture-file.ts';
import { oneExchangePcapng } from '../../wire/fixtures/one-exchange-pcapng.ts';
import { CaptureBlanker } from '../classroom/blanking/capture-blanker.ts';
import { blankCapture } from './blank-capture.ts';

const SESSION = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcdef';
const KEY = 'teacher-key-0123456789';
const REQUEST = `GET /api/v1/users/1 HTTP/1.1\r\nHost: x\r\nCookie: wirelab_session=${SESSION}\r\nx-wirelab-teacher-key: ${KEY}\r\n\r\n`;
const RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}';

/** What the inspector reads from a pcapng: each direction's bytes, as text. */
function directions(pcapng: Uint8Array): Record<string, string> {
  const opened = readCaptureFile(pcapng);
  if (opened.kind !== 'packets') throw new Error(`not packets: ${opened.kind}`);
  const text: Record<string, string> = { in: '', out: '' };
  for (const chunk of opened.chunks) text[chunk.dir] += Buffer.from(chunk.data).toString('latin1');
  return text;
}

describe('blankCapture', () => {
  it("blanks the sharer's cookie, session id and the teacher key as the page's captures are, byte for byte", () => {
    const blanked = blankCapture(oneExchangePcapng(REQUEST, RESPONSE), new CaptureBlanker(SESSION, [KEY]));
    if (!blanked.ok) throw new Error(`refused: ${blanked.problem.code}`);
    expect(blanked.connections).toBe(1);
    const { in: request, out: response } = directions(blanked.pcapng);
    expect(request).toHaveLength(REQUEST.length);
    expect(request).not.toContain(SESSION.slice(0, 8));
    expect(request).not.toContain(KEY);
    expect(request).toContain('GET /api/v1/users/1 HTTP/1.1\r\nHost: x\r\nCookie: ****');
    expect(response).toBe(RESPONSE);
  });

  it('keeps a capture without secrets as it was', () => {
    const plain = `GET / HTTP/1.1\r\nHost: x\r\n\r\n`;
    const blanked = blankCapture(oneExchangePcapng(plain, RESPONSE), new CaptureBlanker(SESSION));
    if (!blanked.ok) throw new Error(`refused: ${blanked.problem.code}`);
    expect(directions(blanked.pcapng)).toEqual({ in: plain, out: RESPONSE });
  });

  it('refuses a HAR and what is no capture, saying which', () => {
    const har = new TextEncoder().encode(JSON.stringify({ log: { version: '1.2', entries: [] } }));
    expect(blankCapture(har, new CaptureBlanker(SESSION))).toMatchObject({ ok: false });
    expect(blankCapture(new TextEncoder().encode('hello'), new CaptureBlanker(SESSION))).toMatchObject({ ok: false, problem: { code: 'unknown-format' } });
  });
});
