// The MQTT console aimed at "my server" (the student's broker over TCP): the browser's MQTT over
// WebSocket goes to `/_wirelab/own-server/mqtt-relay?target=host:port`; Wirelab opens a guarded
// TCP connection to the broker, recorded by the byte tap as MQTT, and pipes the bytes both ways —
// each WebSocket message's bytes to the broker as they are, each chunk from the broker as one
// binary message (MQTT over WebSocket lets a packet span messages, 3.1.1 §6). The browser's 101
// comes once the TCP connection is up; a failure ends it with the fact.
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { WebSocket } from 'ws';
import { encodeRelayFact, OWN_SERVER_MQTT_RELAY_PATH, relayCloseCode, type RelayFact } from '../../contracts/own-server/relays.ts';
import { openGuardedSocket } from './connection.ts';
import { relayFactOf } from './relay-facts.ts';
import { offeredProtocols, RELAY_CLOSE_WAIT_MS, routeRelayUpgrade, type RelayRouteOptions, type RelayUpgrade } from './relay-upgrade.ts';

/** The WebSocket subprotocols of MQTT (3.1.1 §6; `mqttv3.1` is 3.1's): the inspector decodes MQTT inside by them. */
const MQTT_SUBPROTOCOLS = ['mqtt', 'mqttv3.1'];

export function serveMqttRelay(app: FastifyInstance, options: RelayRouteOptions): void {
  routeRelayUpgrade(app, OWN_SERVER_MQTT_RELAY_PATH, { ...options, withPath: false }, relayMqtt);
}

function relayMqtt(relay: RelayUpgrade): void {
  const { target, context, stop } = relay;
  const protocol = MQTT_SUBPROTOCOLS.find((name) => offeredProtocols(relay.req).includes(name)) ?? false;
  const broker: Socket = openGuardedSocket(target, context, { transport: 'mqtt' });
  let failure: Error | null = null;
  broker.on('error', (error) => {
    failure ??= error;
  });
  let browser: WebSocket | null = null;
  broker.once('connect', () => {
    if (broker.destroyed) return;
    broker.pause();
    relay.accept(protocol, (opened) => {
      browser = opened;
      pipe(opened, broker, stop);
      broker.resume();
    });
  });
  broker.once('close', () => {
    const pageGone = stop.signal.aborted;
    stop.abort();
    if (pageGone) return;
    const fact: RelayFact | null = failure ? relayFactOf(failure, target, broker.bytesRead) : { fact: 'closed', bytes: broker.bytesRead };
    if (!fact) return;
    if (!browser) return relay.closeWith(fact);
    if (browser.readyState === WebSocket.OPEN) browser.close(relayCloseCode(fact), encodeRelayFact(fact));
  });
}

function pipe(browser: WebSocket, broker: Socket, stop: AbortController): void {
  browser.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    if (!broker.writable) return;
    broker.write(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer));
  });
  broker.on('data', (chunk: Buffer) => {
    if (browser.readyState === WebSocket.OPEN) browser.send(chunk, { binary: true });
  });
  browser.on('close', (code) => {
    // the page dropped: so does the relay, at once; a close of its own: the broker's TCP ends (FIN)
    if (code === 1006 || broker.destroyed) return stop.abort();
    broker.end();
    const cut = setTimeout(() => stop.abort(), RELAY_CLOSE_WAIT_MS);
    broker.once('close', () => clearTimeout(cut));
  });
}
