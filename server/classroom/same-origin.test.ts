import { describe, expect, it } from 'vitest';
import { isSameOrigin } from './same-origin.ts';

describe('isSameOrigin', () => {
  it('lets a page of this server in', () => {
    expect(isSameOrigin({ host: '192.168.1.20:8080', origin: 'http://192.168.1.20:8080' })).toBe(true);
  });

  it('lets a client without Origin in (not a browser)', () => {
    expect(isSameOrigin({ host: 'localhost:8080' })).toBe(true);
  });

  it('refuses another host, another port, an opaque or malformed origin', () => {
    expect(isSameOrigin({ host: '192.168.1.20:8080', origin: 'http://evil.example' })).toBe(false);
    expect(isSameOrigin({ host: '192.168.1.20:8080', origin: 'http://192.168.1.20:9090' })).toBe(false);
    expect(isSameOrigin({ host: '192.168.1.20:8080', origin: 'null' })).toBe(false);
    expect(isSameOrigin({ host: '192.168.1.20:8080', origin: 'not a url' })).toBe(false);
    expect(isSameOrigin({ origin: 'http://192.168.1.20:8080' })).toBe(false);
  });
});
