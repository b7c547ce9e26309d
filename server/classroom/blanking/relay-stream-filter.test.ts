import * as ws from 'ws';
import { describe, expect, it } from 'vitest';
import { newCurlToken, newSessionId } from '../../session/session-id.ts';
import { RelayStreamFilter } from './relay-stream-filter.ts';
import { SecretBook } from './secret-scanner.ts';

/** ws's own frame parser and builder (exported by the package, not typed by @types/ws) */
interface FrameReceiver {
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  write(data: Buffer, done: () => void): void;
}
const { Receiver, Sender } = ws as unknown as {
  Receiver: new (options: { isServer: boolean; skipUTF8Validation: boolean }) => FrameReceiver;
  Sender: { frame(data: Buffer, options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean }): Buffer[] };
};

const session = newSessionId();
const curl = newCurlToken(session).token;
const handshake = `GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nCookie: wirelab_session=${session}\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`;

/** A browser's masked frame, as the ws library builds it. */
function maskedFrame(payload: string, binary = false): Buffer {
  return Buffer.concat(Sender.frame(Buffer.from(payload), { fin: true, opcode: binary ? 2 : 1, mask: true, readOnly: false, rsv1: false }));
}

/** The payloads of client frames, unmasked by the ws library. */
function payloadsOf(bytes: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const payloads: string[] = [];
    const receiver = new Receiver({ isServer: true, skipUTF8Validation: true });
    receiver.on('message', (data: Buffer) => payloads.push(data.toString('latin1')));
    receiver.on('error', reject);
    receiver.write(bytes, () => resolve(payloads));
  });
}

describe('RelayStreamFilter', () => {
  it("blanks secrets inside a browser's masked WebSocket frames, keeping the frames valid", async () => {
    const messages = [`{"type":"connection_init","payload":{"token":"x"}} ${curl}`, `sandbox:${session}`, 'hello, no secret here'];
    const frames = Buffer.concat(messages.map((message) => maskedFrame(message)));
    const wire = Buffer.concat([Buffer.from(handshake, 'latin1'), frames]);
    for (const cut of [1, 7, handshake.length - 2, handshake.length, handshake.length + 3, handshake.length + 40, wire.length - 5]) {
      const filter = new RelayStreamFilter('in', new SecretBook([session]));
      const out = Buffer.concat([filter.apply(wire.subarray(0, cut)), filter.apply(wire.subarray(cut))].map((part) => Buffer.from(part)));
      expect(out).toHaveLength(wire.length);
      const head = out.subarray(0, handshake.length).toString('latin1');
      expect(head).not.toContain(session);
      expect(head).toContain('Upgrade: websocket');
      const payloads = await payloadsOf(out.subarray(handshake.length));
      expect(payloads).toHaveLength(3);
      expect(payloads.join('\n')).not.toContain(session);
      expect(payloads.join('\n')).not.toContain(curl.slice(5));
      expect(payloads[0]).toMatch(/^\{"type":"connection_init","payload":\{"token":"x"\}\} curl\.\*{64}$/);
      expect(payloads[2]).toBe(messages[2]);
    }
  });

  it('blanks a Set-Cookie header and the session JSON of a response', () => {
    const response = `HTTP/1.1 200 OK\r\nset-cookie: wirelab_session=${session}; Path=/; HttpOnly\r\ncontent-type: application/json\r\n\r\n{"session":"${session}","curlToken":"${curl}"}`;
    const out = Buffer.from(new RelayStreamFilter('out', new SecretBook([session])).apply(Buffer.from(response, 'latin1'))).toString('latin1');
    expect(out).toHaveLength(response.length);
    expect(out).not.toContain(session);
    expect(out).not.toContain(curl.slice(5));
    expect(out).toContain('content-type: application/json');
  });

  it('leaves a plain HTTP connection to the header mask and the scanner', () => {
    const request = `POST /api/v1/users HTTP/1.1\r\nx-wirelab-sandbox: ${curl}\r\ncontent-length: 2\r\n\r\n{}`;
    const out = Buffer.from(new RelayStreamFilter('in', new SecretBook([session])).apply(Buffer.from(request, 'latin1'))).toString('latin1');
    expect(out).toBe(request.replace(curl, '*'.repeat(curl.length)));
  });
});
