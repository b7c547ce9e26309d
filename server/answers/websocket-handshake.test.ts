import { describe, expect, it } from 'vitest';
import { handshakeRefusal } from './websocket-handshake.ts';

describe('handshakeRefusal', () => {
  it('lets a GET with version 13 through, and a missing version to ws (malformed: its 400)', () => {
    expect(handshakeRefusal({ method: 'GET', headers: { 'sec-websocket-version': '13' } })).toBeNull();
    expect(handshakeRefusal({ method: 'GET', headers: {} })).toBeNull();
  });

  it('refuses another version with 426 and Sec-WebSocket-Version: 13', () => {
    const refusal = handshakeRefusal({ method: 'GET', headers: { 'sec-websocket-version': '8' } });
    expect(refusal).toMatchObject({ status: 426, headers: { 'Sec-WebSocket-Version': '13', Upgrade: 'websocket' } });
    expect(refusal?.text.ru).toContain('указано 8');
    expect(handshakeRefusal({ method: 'GET', headers: { 'sec-websocket-version': '13, 8' } })?.status).toBe(426);
  });

  it('refuses a method other than GET with 405 and Allow: GET', () => {
    expect(handshakeRefusal({ method: 'POST', headers: { 'sec-websocket-version': '13' } })).toMatchObject({ status: 405, headers: { Allow: 'GET' } });
  });
});
