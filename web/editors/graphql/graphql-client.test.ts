import { describe, expect, it } from 'vitest';
import { encodeRelayFact, relayCloseCode, relayFactText, type RelayFact } from '../../../contracts/own-server/relays.ts';
import { subscriptionError, subscriptionUrl } from './graphql-client.ts';
import { ServerWentAway } from './server-restart.ts';

describe('a GraphQL subscription aimed at the student’s own server', () => {
  it('goes to Wirelab’s WebSocket relay, told the address and the /graphql path', () => {
    expect(subscriptionUrl('127.0.0.1:8004', 'http://10.0.0.5:8080')).toBe(
      'ws://10.0.0.5:8080/_wirelab/own-server/ws-relay?target=127.0.0.1%3A8004&path=%2Fgraphql',
    );
    expect(subscriptionUrl(' 127.0.0.1:8004 ', 'https://wirelab.example.edu')).toBe(
      'wss://wirelab.example.edu/_wirelab/own-server/ws-relay?target=127.0.0.1%3A8004&path=%2Fgraphql',
    );
  });

  it('tells a relay’s fact in the page’s language, and leaves the student’s own closes and other errors as they are', () => {
    const fact: RelayFact = { fact: 'refused', address: '127.0.0.1:8004' };
    const close = { code: relayCloseCode(fact), reason: encodeRelayFact(fact) };
    expect((subscriptionError(close, 'ru') as Error).message).toBe(relayFactText(fact).ru);
    expect((subscriptionError(close, 'en') as Error).message).toBe(relayFactText(fact).en);
    expect(relayFactText(fact).ru).toMatch(/127\.0\.0\.1:8004/);
    const own = { code: 4400, reason: 'Invalid message received' };
    expect(subscriptionError(own, 'ru')).toBe(own);
    const other = new Error('socket hang up');
    expect(subscriptionError(other, 'en')).toBe(other);
  });

  it('tells the server going away (1001, from Wirelab or through the relay) apart, so the panel says it restarts', () => {
    const shutdown = { code: 1001, reason: 'server shutting down / сервер выключается' };
    const away = subscriptionError(shutdown, 'en');
    expect(away).toBeInstanceOf(ServerWentAway);
    expect((away as ServerWentAway).close).toEqual(shutdown);
    // the legacy client's error carries the close's code and reason too
    const legacy = Object.assign(new Error('WebSocket closed: 1001 server shutting down'), shutdown);
    expect(subscriptionError(legacy, 'ru')).toBeInstanceOf(ServerWentAway);
    const stopping = { code: 1001, reason: encodeRelayFact({ fact: 'wirelab-stopping' }) };
    expect((subscriptionError(stopping, 'en') as ServerWentAway).close).toEqual(stopping);
  });
});
