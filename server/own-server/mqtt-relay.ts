// The MQTT console aimed at "my server" (the student's broker over TCP): the browser's MQTT over
// WebSocket goes to `/_wirelab/own-server/mqtt-relay?target=host:port`; Wirelab opens a guarded
// TCP connection to the broker, recorded by the byte tap as MQTT, and passes whole MQTT packets
// both ways, each read and checked first (mqtt-gate.ts): never raw bytes. The page's messages
// may split and join packets as they like (MQTT over WebSocket, 3.1.1 §6); each packet from the
// broker goes to the page as one binary message. The browser's 101 comes once the TCP connection
// is up; a failure ends it with the fact.
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { WebSocket } from 'ws';
import { encodeRelayFact, OWN_SERVER_MQTT_RELAY_PATH, relayCloseCode, type RelayFact } from '../../contracts/own-server/relays.ts';
import { openGuardedSocket } from './connection.ts';
import { OWN_SERVER_LIMITS } from './limits.ts';
import { MqttGate, type MqttRefusal, type MqttSide } from './mqtt-gate.ts';
import { relayFactOf } from './relay-facts.ts';
import { closeAndWait, GOODBYE_WAIT_MS } from '../listener/goodbye.ts';
import { offeredProtocols, RELAY_CLOSE_WAIT_MS, routeRelayUpgrade, WIRELAB_STOPPING, type RelayRouteOptions, type RelayUpgrade } from './relay-upgrade.ts';

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
      relay.sayGoodbyeWith(() => sayGoodbye(opened, broker, stop));
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

/**
 * Wirelab shuts down: the page hears the fact; the broker's TCP connection ends (FIN) with no
 * DISCONNECT, for the page's client sent none: the broker treats it as a connection lost and
 * publishes the client's will, if any (MQTT 3.1.1 §3.1.2.5). A relay carries only what the page
 * sent, so it writes no packet of its own. Resolves once both are closed, or cut after GOODBYE_WAIT_MS.
 */
async function sayGoodbye(browser: WebSocket, broker: Socket, stop: AbortController): Promise<void> {
  const brokerClosed = new Promise<void>((resolve) => {
    if (broker.destroyed) return resolve();
    const cut = setTimeout(() => broker.destroy(), GOODBYE_WAIT_MS);
    broker.once('close', () => {
      clearTimeout(cut);
      resolve();
    });
    broker.end();
  });
  await Promise.all([closeAndWait(browser, relayCloseCode(WIRELAB_STOPPING), encodeRelayFact(WIRELAB_STOPPING)), brokerClosed]);
  stop.abort();
}

/**
 * Both ways, packet by packet: the page's packets go to the broker only as whole, well-formed MQTT
 * packets beginning with its CONNECT, and nothing after the CONNECT until the broker's first
 * packet, a well-formed CONNACK, has shown it speaks MQTT; the broker's go to the page as whole
 * packets too. Anything else ends the relay with the fact `not-mqtt` (mqtt-gate.ts).
 */
function pipe(browser: WebSocket, broker: Socket, stop: AbortController): void {
  const fromPage = new MqttGate('page', OWN_SERVER_LIMITS.bytesReceivedPerConnection);
  const fromServer = new MqttGate('server', OWN_SERVER_LIMITS.bytesReceivedPerConnection);
  let held: Uint8Array[] | null = [];
  let connectSent = false;
  const refuse = (side: MqttSide, refusal: MqttRefusal) => {
    const fact: RelayFact = { fact: 'not-mqtt', side, packet: refusal.packet, rule: refusal.rule };
    if (browser.readyState === WebSocket.OPEN) browser.close(relayCloseCode(fact), encodeRelayFact(fact));
    stop.abort();
  };
  browser.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    if (stop.signal.aborted) return;
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    const { packets, refusal } = fromPage.take(bytes);
    for (const { bytes: packet } of packets) {
      if (!connectSent) {
        connectSent = true;
        if (broker.writable) broker.write(packet);
      } else if (held) held.push(packet);
      else if (broker.writable) broker.write(packet);
    }
    if (held && held.reduce((total, packet) => total + packet.length, 0) > OWN_SERVER_LIMITS.bytesReceivedPerConnection)
      return refuse('page', { packet: 'CONNECT', rule: 'too-large' });
    if (refusal) refuse('page', refusal);
  });
  broker.on('data', (chunk: Buffer) => {
    if (stop.signal.aborted) return;
    const { packets, refusal } = fromServer.take(chunk);
    for (const { bytes } of packets) if (browser.readyState === WebSocket.OPEN) browser.send(bytes, { binary: true });
    if (packets.length > 0 && held) {
      // the CONNACK came: what the page sent meanwhile goes now, in order
      for (const packet of held) if (broker.writable) broker.write(packet);
      held = null;
    }
    if (refusal) refuse('server', refusal);
  });
  browser.on('close', (code) => {
    // the page dropped: so does the relay, at once; a close of its own: the broker's TCP ends (FIN)
    if (code === 1006 || broker.destroyed) return stop.abort();
    broker.end();
    const cut = setTimeout(() => stop.abort(), RELAY_CLOSE_WAIT_MS);
    broker.once('close', () => clearTimeout(cut));
  });
}
