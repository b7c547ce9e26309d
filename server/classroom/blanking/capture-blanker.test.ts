import { describe, expect, it } from 'vitest';
import type { CaptureMessage, Transport } from '../../tap/capture-types.ts';
import { CaptureBlanker } from './capture-blanker.ts';

const SESSION = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcdef';
const KEY = 'teacher-key-0123456789';

const connection = (id: string, transport: Transport): CaptureMessage => ({
  type: 'connection',
  conn: { id, transport, remote: '127.0.0.1:5000', local: '127.0.0.1:8080', openedAt: 1 },
});
const chunk = (conn: string, dir: 'in' | 'out', text: string, offset = 0): CaptureMessage => ({
  type: 'chunk',
  chunk: { conn, seq: 0, dir, t: 2, offset, data: Buffer.from(text, 'latin1') },
});
const text = (message: CaptureMessage) => (message.type === 'chunk' ? message.chunk.data.toString('latin1') : '');

describe('CaptureBlanker', () => {
  it("blanks the session's cookie, its id anywhere and the teacher key, keeping every length and leaving the rest", () => {
    const blanker = new CaptureBlanker(SESSION, [KEY], new Set(['Bearer wirelab-teacher']));
    blanker.apply(connection('c1', 'http/1.1'));
    const request = `POST /api/v1/users HTTP/1.1\r\nHost: x\r\nCookie: wirelab_session=${SESSION}\r\nAuthorization: Bearer wirelab-teacher\r\nContent-Length: 40\r\n\r\n{"note":"${KEY}","x":1}`;
    const blanked = text(blanker.apply(chunk('c1', 'in', request)));
    expect(blanked).toHaveLength(request.length);
    expect(blanked).not.toContain(SESSION.slice(0, 8));
    expect(blanked).not.toContain(KEY);
    expect(blanked).toContain('Authorization: Bearer wirelab-teacher\r\n');
    expect(blanked).toContain('POST /api/v1/users HTTP/1.1\r\nHost: x\r\nCookie: ****');
    const answer = `HTTP/1.1 200 OK\r\nSet-Cookie: wirelab_session=${SESSION}; Path=/\r\n\r\n`;
    expect(text(blanker.apply(chunk('c1', 'out', answer)))).not.toContain(SESSION.slice(0, 8));
  });

  it('scans the raw bytes of h2c and MQTT connections (an MQTT user name that is the session id)', () => {
    const blanker = new CaptureBlanker(SESSION);
    blanker.apply(connection('m1', 'mqtt'));
    const connect = `\x10\x50\x00\x04MQTT\x04\xc2\x00\x3c\x00\x04idid\x00\x2c${SESSION}\x00\x01x`;
    const blanked = text(blanker.apply(chunk('m1', 'in', connect)));
    expect(blanked).toHaveLength(connect.length);
    expect(blanked).not.toContain(SESSION.slice(0, 8));
    expect(blanked).toContain('MQTT');
  });

  it('hands back the very message when there is nothing to blank, and forgets a closed connection', () => {
    const blanker = new CaptureBlanker(SESSION);
    const plain = chunk('c2', 'out', 'HTTP/1.1 204 No Content\r\n\r\n');
    expect(blanker.apply(plain)).toBe(plain);
    const closed: CaptureMessage = { type: 'closed', conn: 'c2', t: 3 };
    expect(blanker.apply(closed)).toBe(closed);
  });
});
