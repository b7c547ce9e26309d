import { describe, expect, it } from 'vitest';
import { isAllowedOrigin, parseAllowedOrigins } from './same-origin.ts';

describe('isAllowedOrigin', () => {
  it('lets tools in: no Origin header', () => {
    expect(isAllowedOrigin({ headers: { host: '10.0.0.5:8080' } })).toBe(true);
  });

  it('lets the server’s own pages in: the origin’s host and port are the Host header', () => {
    expect(isAllowedOrigin({ headers: { host: '10.0.0.5:8080', origin: 'http://10.0.0.5:8080' } })).toBe(true);
    expect(isAllowedOrigin({ headers: { host: 'Wirelab.local', origin: 'http://wirelab.local' } })).toBe(true);
    expect(isAllowedOrigin({ headers: { host: 'wirelab.local:80', origin: 'http://wirelab.local' } })).toBe(true);
    expect(isAllowedOrigin({ headers: { ':authority': 'localhost:8080', origin: 'http://localhost:8080' } })).toBe(true);
  });

  it('keeps other pages out: another port, another host, null, garbage, no Host to compare with', () => {
    expect(isAllowedOrigin({ headers: { host: 'localhost:8080', origin: 'http://localhost:9999' } })).toBe(false);
    expect(isAllowedOrigin({ headers: { host: 'localhost:8080', origin: 'http://evil.example:8080' } })).toBe(false);
    expect(isAllowedOrigin({ headers: { host: 'localhost:8080', origin: 'null' } })).toBe(false);
    expect(isAllowedOrigin({ headers: { host: 'localhost:8080', origin: 'not a url' } })).toBe(false);
    expect(isAllowedOrigin({ headers: { origin: 'http://localhost:8080' } })).toBe(false);
  });

  it('lets configured origins in (a reverse proxy’s public origin)', () => {
    const request = { headers: { host: '127.0.0.1:8080', origin: 'https://wirelab.example.edu' } };
    expect(isAllowedOrigin(request)).toBe(false);
    expect(isAllowedOrigin(request, ['https://wirelab.example.edu'])).toBe(true);
  });
});

describe('parseAllowedOrigins', () => {
  it('reads origins separated by commas or spaces, and refuses anything that is not an origin', () => {
    expect(parseAllowedOrigins(undefined)).toEqual([]);
    expect(parseAllowedOrigins('https://a.example, http://10.0.0.5:8080/')).toEqual(['https://a.example', 'http://10.0.0.5:8080']);
    expect(() => parseAllowedOrigins('https://a.example/path')).toThrow(/ALLOWED_ORIGINS/);
    expect(() => parseAllowedOrigins('a.example')).toThrow(/ALLOWED_ORIGINS/);
  });
});
