import { describe, expect, it } from 'vitest';
import { parseSocketIoCell } from '../socket-io/sio-cell-config.ts';
import { parseWebSocketCell, webSocketUrl } from './ws-cell-config.ts';

describe('WebSocket cell files', () => {
  it('reads url, subprotocols and presets, with defaults', () => {
    expect(parseWebSocketCell('{ "url": "/ws/echo" }')).toEqual({ ok: true, config: { url: '/ws/echo', subprotocols: [], presets: [] } });
    expect(parseWebSocketCell('{ "url": "/ws/chat", "subprotocols": ["wirelab.chat.v1"], "presets": [{ "text": "hi" }, { "hex": "00 ff" }] }')).toEqual({
      ok: true,
      config: { url: '/ws/chat', subprotocols: ['wirelab.chat.v1'], presets: [{ text: 'hi' }, { hex: '00 ff' }] },
    });
  });

  it('names every problem at once', () => {
    const parsed = parseWebSocketCell(
      '{ "url": "//evil.example/ws", "subprotocols": ["a b", "x", "x"], "presets": [{ "text": "a", "hex": "00" }, 5], "extra": 1 }',
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems).toHaveLength(6);
  });

  it('turns a page path into a ws: or wss: URL on the page’s own host', () => {
    expect(webSocketUrl('/ws/echo', 'http://localhost:8080')).toBe('ws://localhost:8080/ws/echo');
    expect(webSocketUrl('/socket.io/?EIO=4&transport=websocket', 'https://wirelab.example')).toBe('wss://wirelab.example/socket.io/?EIO=4&transport=websocket');
  });
});

describe('Socket.IO cell files', () => {
  it('defaults to the main namespace, no auth and both transports', () => {
    expect(parseSocketIoCell('{}')).toEqual({ ok: true, config: { namespace: '/', auth: {}, transports: ['polling', 'websocket'], presets: [] } });
  });

  it('keeps the order of transports and the presets as written', () => {
    const parsed = parseSocketIoCell(
      '{ "namespace": "/admin", "auth": { "token": "t" }, "transports": ["websocket"], "presets": [{ "event": "admin:rooms", "args": [], "ack": true }] }',
    );
    expect(parsed).toEqual({
      ok: true,
      config: { namespace: '/admin', auth: { token: 't' }, transports: ['websocket'], presets: [{ event: 'admin:rooms', args: [], ack: true }] },
    });
  });
});
