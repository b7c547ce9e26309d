// OWN_SERVERS=off: every console's relay refuses before connecting anywhere — the WebSocket and
// MQTT relays close with the fact, the SSE relay answers 403 — in both languages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  OWN_SERVER_MQTT_RELAY_PATH,
  OWN_SERVER_SSE_RELAY_PATH,
  OWN_SERVER_WS_RELAY_PATH,
  readRelayFact,
  relayFactText,
  relayQuery,
} from '../../contracts/own-server/relays.ts';
import { newSession } from './capture-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

let wirelab: RunningServer;

beforeAll(async () => {
  wirelab = await startServer({ ownServers: false });
});
afterAll(async () => {
  await wirelab.close();
});

function closeOf(url: string, session: string, protocols: string[] = []) {
  const socket = new WebSocket(url, protocols, { headers: { cookie: `wirelab_session=${session}` } });
  socket.on('error', () => undefined);
  return new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

describe('the consoles’ relays with OWN_SERVERS=off', () => {
  it('refuse, saying so, without connecting anywhere', async () => {
    const session = await newSession(wirelab.origin);
    const base = `ws://127.0.0.1:${wirelab.port}`;
    for (const closed of [
      await closeOf(`${base}${OWN_SERVER_WS_RELAY_PATH}${relayQuery('127.0.0.1:8000', '/ws')}`, session),
      await closeOf(`${base}${OWN_SERVER_MQTT_RELAY_PATH}${relayQuery('127.0.0.1:1883')}`, session, ['mqtt']),
    ]) {
      expect(closed.code).toBe(4403);
      const fact = readRelayFact(closed.code, closed.reason);
      expect(fact).toEqual({ fact: 'own-servers-off' });
      expect(relayFactText(fact!).ru).toMatch(/OWN_SERVERS=off/);
    }
    const answer = await fetch(`${wirelab.origin}${OWN_SERVER_SSE_RELAY_PATH}${relayQuery('127.0.0.1:8000', '/events')}`, {
      headers: { cookie: `wirelab_session=${session}` },
    });
    expect(answer.status).toBe(403);
    expect(((await answer.json()) as { type: string }).type).toMatch(/own-servers-off$/);
  });
});
