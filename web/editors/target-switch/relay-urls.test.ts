import { describe, expect, it } from 'vitest';
import { eventStreamRelayUrl, mqttRelayUrl, webSocketRelayUrl } from './relay-urls.ts';

describe('the relay URLs of the consoles aimed at my server', () => {
  it('carry the student’s host:port and the path typed, whether typed as a path or a whole URL', () => {
    expect(webSocketRelayUrl('/ws/echo?delay=1', '127.0.0.1:8000', 'https://lab.example')).toBe(
      'wss://lab.example/_wirelab/own-server/ws-relay?target=127.0.0.1%3A8000&path=%2Fws%2Fecho%3Fdelay%3D1',
    );
    expect(webSocketRelayUrl('ws://elsewhere:9/ws/chat', ' [::1]:8000 ', 'http://127.0.0.1:8080')).toBe(
      'ws://127.0.0.1:8080/_wirelab/own-server/ws-relay?target=%5B%3A%3A1%5D%3A8000&path=%2Fws%2Fchat',
    );
    expect(eventStreamRelayUrl('/sse/events', '127.0.0.1:8000', 'http://127.0.0.1:8080')).toBe(
      '/_wirelab/own-server/sse-relay?target=127.0.0.1%3A8000&path=%2Fsse%2Fevents',
    );
    expect(mqttRelayUrl('127.0.0.1:1883', 'http://127.0.0.1:8080')).toBe('ws://127.0.0.1:8080/_wirelab/own-server/mqtt-relay?target=127.0.0.1%3A1883');
  });
});
