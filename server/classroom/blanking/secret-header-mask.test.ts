import { describe, expect, it } from 'vitest';
import { SecretHeaderMask } from './secret-header-mask.ts';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const bytes = (value: string) => Buffer.from(value, 'latin1');

describe('SecretHeaderMask', () => {
  const request = 'GET /api/v1/users/1 HTTP/1.1\r\nHost: 10.0.0.2:8080\r\nCookie: wirelab_session=abcdefghijklmnopqrstuv\r\nAccept: */*\r\n\r\n';

  it('blanks the cookie value byte for byte and keeps everything else', () => {
    const masked = text(new SecretHeaderMask().apply(bytes(request)));
    expect(masked.length).toBe(request.length);
    expect(masked).not.toContain('abcdefghijklmnopqrstuv');
    expect(masked).toContain(`Cookie: ${'*'.repeat('wirelab_session=abcdefghijklmnopqrstuv'.length)}\r\n`);
    expect(masked).toContain('GET /api/v1/users/1 HTTP/1.1\r\nHost: 10.0.0.2:8080\r\n');
    expect(masked).toContain('Accept: */*\r\n');
  });

  it('blanks a value split across chunks, whatever the case of the name', () => {
    const mask = new SecretHeaderMask();
    const whole = request.replace('Cookie', 'cOOKie') + 'GET / HTTP/1.1\r\nX-Wirelab-Sandbox: secretsandbox\r\n\r\n';
    const pieces = [whole.slice(0, 40), whole.slice(40, 57), whole.slice(57, 70), whole.slice(70)];
    const masked = pieces.map((piece) => text(mask.apply(bytes(piece)))).join('');
    expect(masked.length).toBe(whole.length);
    expect(masked).not.toMatch(/abcdefghij|secretsandbox/);
    expect(masked).toContain('X-Wirelab-Sandbox: *************\r\n');
  });

  it('returns the very same bytes when there is nothing to blank', () => {
    const plain = bytes('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi');
    expect(new SecretHeaderMask().apply(plain)).toBe(plain);
  });

  it('keeps a value that is no secret (a demo token printed in the lesson), but only that one', () => {
    const mask = new SecretHeaderMask(new Set(['Bearer wirelab-teacher']));
    const head = 'POST /x HTTP/1.1\r\nAuthorization: Bearer wirelab-teacher\r\nauthorization: Bearer real-secret\r\n\r\n';
    const masked = text(mask.apply(bytes(head)));
    expect(masked).toContain('Authorization: Bearer wirelab-teacher\r\n');
    expect(masked).not.toContain('real-secret');
    expect(masked).toHaveLength(head.length);
  });
});
