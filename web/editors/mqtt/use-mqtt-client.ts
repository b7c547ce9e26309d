import { useState } from 'react';
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import { useStrings } from '../../kit/lang-context.ts';
import { captureTimeNow, sessionReady } from '../../kit/session.ts';
import type { InspectedExchange } from '../../inspector/capture-store.ts';
import { CONNACK_CODES } from '../../../wire/mqtt/decode-mqtt.ts';
import { GOING_AWAY } from '../../../wire/websocket/close-codes.ts';
import { bilingual, type useConsoleLog } from '../console-kit/console-log.tsx';
import { connectionMessageLink, connectionOf, exchangeLink, requestsInTurn } from '../console-kit/inspector-links.ts';
import { messageOf } from '../console-kit/text.ts';
import { useLiveConnection } from '../console-kit/use-live-connection.ts';
import { webSocketUrl } from '../websocket/ws-cell-config.ts';
import { MQTT_WEBSOCKET_PATH } from './mqtt-cell-config.ts';
import { readRelayFact, relayFactIsFault, relayFactText, type RelayFact } from '../../../contracts/own-server/relays.ts';
import type { OwnTarget } from '../target-switch/own-target.ts';
import { mqttRelayUrl, pathOf } from '../target-switch/relay-urls.ts';
import { CONNACK_WAIT_MS, connackWait } from './connack-wait.ts';
import { checkConnectForm, type FormError, type MqttForm } from './mqtt-form.ts';
import { packetType, summarizePacket, type ParsedPacket } from './packet-summary.ts';
import { describePayload } from './payload.ts';
import { mqttConsoleStrings } from './strings.ts';
import { useMqttPublish } from './use-mqtt-publish.ts';
import { useMqttSubscriptions, type Subscription } from './use-mqtt-subscriptions.ts';

const say = bilingual(mqttConsoleStrings);
type MqttStrings = (typeof mqttConsoleStrings)['en'];

export type MqttState = 'IDLE' | 'CONNECTING' | 'CONNECTED' | 'CLOSED';
type Log = ReturnType<typeof useConsoleLog>;

/** One connection the console opened, and what it needs to find that connection's bytes. */
interface Connection {
  client: MqttClient;
  /** the captured connection id, once the WebSocket handshake came back through the capture channel (asked again after a miss) */
  conn: () => Promise<string | null>;
  /** packets logged so far per direction, type and packet id: the k-th such packet on the wire is the k-th logged */
  seen: Map<string, number>;
  /** how it ended, if not by the broker or the network: the student, or the console's wait for CONNACK; decides what the close line says */
  ending: 'disconnect' | 'drop' | 'no-connack' | null;
  /** what the console heard of its WebSocket: whether it opened, and how it closed */
  heard: Heard;
  /** where the WebSocket went (`/mqtt`, or the relay's path), as the close line names it */
  path: string;
}

/** What the console heard of its WebSocket: whether it opened, and its close (a relay's fact, or Wirelab's server going away). */
interface Heard {
  opened: boolean;
  /** the close frame's code (1006: closed with none, or never opened) */
  code: number | null;
  /** aimed at my broker: why Wirelab's relay ended the WebSocket (the broker closed, refused…) */
  fact: RelayFact | null;
  /** Wirelab's own broker's WebSocket closed with 1001: the server stopped or is restarting */
  serverGoingAway: boolean;
}

// A logged packet is found by what it is, not by its position among all packets: the k-th
// packet of its direction, type and packet id. One packet the log did not see (mqtt.js wrote
// CONNECT before the listeners existed, until manualConnect) would shift every position after it.
function packetLink(connection: Connection, dir: 'in' | 'out', packet: ParsedPacket) {
  const type = packetType(packet);
  const key = `${dir}/${type}/${packet.messageId ?? ''}`;
  const ordinal = connection.seen.get(key) ?? 0;
  connection.seen.set(key, ordinal + 1);
  return connectionMessageLink(
    connection.conn,
    (view) =>
      view?.messages.filter(
        (message) =>
          message.layer === 'mqtt-packet' &&
          message.dir === dir &&
          message.fields?.type === type &&
          (packet.messageId === undefined || message.fields?.packetId === packet.messageId),
      )[ordinal],
  );
}

function logPacket(log: Log, t: MqttStrings, connection: Connection, packet: ParsedPacket, dir: 'in' | 'out') {
  const type = packetType(packet);
  const inspect = packetLink(connection, dir, packet);
  const data: Record<string, string> = { packet: type };
  if (packet.cmd === 'publish' && dir === 'out') {
    // a message the broker delivered: its topic and payload are what the student came for
    const payload = describePayload(typeof packet.payload === 'string' ? new TextEncoder().encode(packet.payload) : (packet.payload ?? new Uint8Array(0)));
    data.topic = packet.topic ?? '';
    data.retain = String(packet.retain === true);
    log.add({
      kind: 'received',
      badge: say((t) => t.message),
      text: say(
        (t) =>
          `${t.messageLine(packet.topic ?? '', packet.qos ?? 0, packet.retain === true, packet.dup === true)}${packet.messageId !== undefined ? ` · id ${packet.messageId}` : ''}`,
      ),
      detail: payload.kind === 'text' ? payload.text : t.hexPayload(payload.text),
      inspect,
      inspectLabel: say((t) => t.packet),
      data,
    });
    return;
  }
  // the badge names the type; the text says the rest of the summary
  const details = say((_, lang) => summarizePacket(packet, lang).slice(type.length).replace(/^ · /, ''));
  log.add({ kind: dir === 'in' ? 'sent' : 'received', badge: type, text: details, inspect, inspectLabel: say((t) => t.packet), data });
}

/** setTimeout's largest delay (a longer one fires at once) */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

function clientOptions(form: MqttForm, keepAlive: number): IClientOptions {
  return {
    protocolVersion: 4,
    clean: form.clean,
    keepalive: keepAlive,
    // the console shows every attempt itself: no silent reconnects behind the student's back
    reconnectPeriod: 0,
    // mqtt.js's wait counts from the click, the handshake and a busy page's time included: the
    // console's own (connack-wait.ts) counts from the WebSocket's open; this one never comes first
    connectTimeout: MAX_TIMER_DELAY_MS,
    // mqtt.js would run its keep-alive timer in a worker made from a blob: URL, which the
    // page's Content-Security-Policy (worker-src) refuses; the page's own timers do the job
    timerVariant: 'native',
    // listeners first, then connect: mqtt.js writes CONNECT as soon as it connects, and the log wants it
    manualConnect: true,
    ...(form.clientId.trim() !== '' ? { clientId: form.clientId.trim() } : {}),
    ...(form.willOn ? { will: { topic: form.willTopic, payload: form.willPayload, qos: form.willQos, retain: form.willRetain } } : {}),
  };
}

/**
 * mqtt.js's WebSocket, its open and close listened to: CONNECT leaves at the open (`opened`); a
 * relay's close carries the fact; on Wirelab's own broker (`wirelabOwn`: not through the relay) a
 * 1001 is the server stopping.
 */
function webSocketHeard(heard: Heard, wirelabOwn: boolean, opened: () => void) {
  return (address: string, protocols: string[]) => {
    const socket = new WebSocket(address, protocols);
    socket.addEventListener('open', () => {
      heard.opened = true;
      opened();
    });
    socket.addEventListener('close', (event) => {
      heard.code = event.code;
      heard.fact = readRelayFact(event.code, event.reason);
      heard.serverGoingAway = wirelabOwn && event.code === GOING_AWAY;
    });
    return socket;
  };
}

/** What the client's events change: the log, the console's state and its list of subscriptions. */
interface ListenerContext {
  log: Log;
  t: (typeof mqttConsoleStrings)['en'];
  isCurrent(connection: Connection): boolean;
  setState(state: MqttState): void;
  setSubscriptions(list: Subscription[]): void;
}

/** The close line: why the connection ended, as far as the console can tell — never a bare "closed". */
function logClose(log: Log, connection: Connection): void {
  const { heard, path } = connection;
  const how = connection.ending ?? 'lost';
  if (heard.fact && how === 'lost')
    log.add({ kind: relayFactIsFault(heard.fact) ? 'error' : 'info', text: relayFactText(heard.fact), data: { event: 'close', how, fact: heard.fact.fact } });
  else if (heard.serverGoingAway && how === 'lost')
    // mqtt.js does not reconnect here (reconnectPeriod 0): the student connects again, once it is back
    log.add({ kind: 'info', text: say((t) => t.serverRestarting), data: { event: 'close', how, 'server-away': 'true' } });
  else if (how === 'no-connack') log.add({ kind: 'error', text: say((t) => t.noConnack(CONNACK_WAIT_MS / 1000)), data: { event: 'close', how } });
  else if (how === 'lost' && !heard.opened)
    log.add({ kind: 'error', text: say((t) => t.notOpened(path, heard.code)), data: { event: 'close', how: 'not-opened' } });
  else log.add({ kind: how === 'disconnect' ? 'info' : 'error', text: say((t) => t.closed(how, heard.code)), data: { event: 'close', how } });
}

/** Logs every packet both ways and the connection's life (CONNACK, a refusal, the close and why). */
function listen(connection: Connection, { log, t, isCurrent, setState, setSubscriptions }: ListenerContext): void {
  const { client } = connection;
  client.on('packetsend', (packet) => isCurrent(connection) && logPacket(log, t, connection, packet as ParsedPacket, 'in'));
  client.on('packetreceive', (packet) => isCurrent(connection) && logPacket(log, t, connection, packet as ParsedPacket, 'out'));
  client.on('connect', (connack) => {
    if (!isCurrent(connection)) return;
    setState('CONNECTED');
    log.add({ kind: 'info', text: say((t) => t.connected(connack.sessionPresent === true)) });
  });
  client.on('error', (error: Error & { code?: number }) => {
    if (!isCurrent(connection)) return;
    const code = error.code;
    if (typeof code === 'number' && CONNACK_CODES[code]) log.add({ kind: 'error', text: say((t, lang) => t.refused(code, CONNACK_CODES[code][lang])) });
    // mqtt.js's "WebSocket error" of a WebSocket that never opened: the close line says so, with its code
    else if (connection.heard.opened) log.add({ kind: 'error', text: say((t) => t.failed(error.message)) });
  });
  client.on('close', () => {
    if (!isCurrent(connection)) return;
    // mqtt.js reports close once per connection attempt; with reconnects off this is the end
    setState('CLOSED');
    setSubscriptions([]);
    logClose(log, connection);
    client.removeAllListeners('packetsend');
    client.removeAllListeners('packetreceive');
  });
}

/**
 * The console's mqtt.js client over the broker's WebSocket: connects with the form's options, logs
 * every packet both ways (each row linked to its bytes), subscribes, publishes, disconnects or drops.
 */
export function useMqttClient(log: Log, onExchange: ((exchange: InspectedExchange) => void) | undefined) {
  const t = useStrings(mqttConsoleStrings);
  const live = useLiveConnection<Connection, MqttState>('IDLE', ['CONNECTING', 'CONNECTED'], (connection) => void connection.client.end(true));
  const { state, setState, current, isCurrent } = live;
  const [connectError, setConnectError] = useState<FormError | null>(null);
  // one handshake per Connect: an old connection's look-again ends where the next Connect began
  const [handshakes] = useState(requestsInTurn);
  // subscribing and publishing need the connection CONNACK accepted, not one still connecting
  const connectedClient = () => (state === 'CONNECTED' ? (current.current?.client ?? null) : null);
  const { setSubscriptions, ...subscriptions } = useMqttSubscriptions(log, connectedClient);
  const { publishError, publish } = useMqttPublish(connectedClient);

  /**
   * With "my server" chosen the WebSocket goes to Wirelab's MQTT relay (target-switch/), which
   * pipes the same bytes to the student's broker over TCP; the console's links stay on this
   * WebSocket, whose MQTT packets are the very ones the broker got.
   */
  const connect = async (form: MqttForm, own: OwnTarget) => {
    if (current.current && state !== 'CLOSED' && state !== 'IDLE') return;
    const check = checkConnectForm(form);
    if (!check.ok) return setConnectError(check.error);
    setConnectError(null);
    await sessionReady();
    const after = captureTimeNow();
    const origin = window.location.origin;
    const url = own.mode === 'mine' ? mqttRelayUrl(own.address, origin) : webSocketUrl(MQTT_WEBSOCKET_PATH, origin);
    const heard: Heard = { opened: false, code: null, fact: null, serverGoingAway: false };
    const wait = connackWait(() => {
      if (current.current !== connection) return;
      connection.ending = 'no-connack';
      client.end(true);
    });
    const createWebsocket = webSocketHeard(heard, own.mode !== 'mine', wait.start);
    let client: MqttClient;
    try {
      client = mqtt.connect(url, { ...clientOptions(form, check.keepAlive), createWebsocket });
    } catch (error) {
      log.add({ kind: 'error', text: say((t) => t.failed(messageOf(error))) });
      return;
    }
    // looked for again at a click after a miss: the handshake, and with it every packet's connection
    const handshake = handshakes.watch(
      { method: 'GET', target: pathOf(url, origin), after, accept: (exchange) => exchange.response?.status === 101 },
      (exchange) => {
        if (current.current?.client === client) onExchange?.(exchange);
      },
    );
    const connection: Connection = {
      client,
      conn: connectionOf(handshake),
      seen: new Map(),
      ending: null,
      heard,
      path: pathOf(url, origin),
    };
    current.current = connection;
    setState('CONNECTING');
    setSubscriptions([]);
    log.add({
      kind: 'info',
      text: say((t) => t.connecting(form.clientId.trim(), form.clean, check.keepAlive, form.willOn ? form.willTopic : null)),
      inspectLabel: say((t) => t.handshake),
      inspect: exchangeLink(handshake),
    });
    listen(connection, { log, t, isCurrent, setState, setSubscriptions });
    client.once('connect', wait.stop);
    client.once('close', wait.stop);
    client.connect();
  };

  const end = (how: 'disconnect' | 'drop') => {
    const connection = current.current;
    if (!connection || state === 'CLOSED' || state === 'IDLE') return;
    connection.ending = how;
    // end(true) destroys the stream without DISCONNECT; end(false) sends DISCONNECT first
    connection.client.end(how === 'drop');
  };

  return {
    state,
    live: live.live,
    open: state === 'CONNECTED',
    ...subscriptions,
    connectError,
    publishError,
    connect,
    end,
    publish,
  };
}
