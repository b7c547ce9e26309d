import { useEffect, useMemo, useRef, useState } from 'react';
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import { useLang, useStrings, type Lang } from '../../app/lang-context.ts';
import { captureTimeNow, sessionReady } from '../../app/session.ts';
import { getCaptureStore } from '../../inspector/capture-store.ts';
import type { Selection } from '../../inspector/exchange-sections.ts';
import type { CellProps } from '../../lessons/cell-props.ts';
import { CONNACK_CODES } from '../../wire/mqtt/decode-mqtt.ts';
import { describeJsonError } from '../json-error.ts';
import { useSavedCellState } from '../saved-cell-state.ts';
import { AsCodeButton } from '../../as-code/as-code-button.tsx';
import { mqttSpecOf } from '../../as-code/cell-spec.ts';
import type { MqttSpec } from '../../as-code/spec.ts';
import { CAPTURE_WAIT_MS, claimNextExchange, connectionView, waitForCapture } from '../console-kit/capture-links.ts';
import { BadCellConfig, ConsoleLog, inBothLanguages, useConsoleLog } from '../console-kit/console-log.tsx';
import { webSocketUrl } from '../websocket/ws-cell-config.ts';
import { MAX_KEEP_ALIVE, MQTT_WEBSOCKET_PATH, parseMqttCell, type MqttCellConfig, type Qos } from './mqtt-cell-config.ts';
import { grantedText, packetType, summarizePacket, type ParsedPacket } from './packet-summary.ts';
import { describePayload, encodePayload, PAYLOAD_FORMATS, type PayloadError, type PayloadFormat } from './payload.ts';
import { mqttConsoleStrings } from './strings.ts';
import { checkTopicFilter, checkTopicName, type TopicError } from './topic-rules.ts';
import '../console-kit/console-kit.css';

type ConsoleStrings = (typeof mqttConsoleStrings)['en'];
const say = (render: (t: ConsoleStrings, lang: Lang) => string) => inBothLanguages<ConsoleStrings>(mqttConsoleStrings, render);

type ConsoleState = 'IDLE' | 'CONNECTING' | 'CONNECTED' | 'CLOSED';

/** What the student edits; kept across reloads (saved-cell-state.ts) until Reset. */
interface MqttForm {
  clientId: string;
  clean: boolean;
  keepAlive: string;
  willOn: boolean;
  willTopic: string;
  willPayload: string;
  willQos: Qos;
  willRetain: boolean;
  filter: string;
  subscribeQos: Qos;
  topic: string;
  payload: string;
  format: PayloadFormat;
  publishQos: Qos;
  retain: boolean;
}

/** The form as "As code" writes it; null when Connect or Publish would refuse it. */
function specOfForm(form: MqttForm): MqttSpec | null {
  const keepAlive = Number(form.keepAlive);
  if (!/^\d+$/.test(form.keepAlive.trim()) || keepAlive > MAX_KEEP_ALIVE) return null;
  if (!form.clean && form.clientId.trim() === '') return null;
  if (!checkTopicFilter(form.filter).ok || !checkTopicName(form.topic).ok || (form.willOn && !checkTopicName(form.willTopic).ok)) return null;
  if (!encodePayload(form.payload, form.format).ok) return null;
  return mqttSpecOf({
    clientId: form.clientId.trim(),
    clean: form.clean,
    keepAlive,
    will: form.willOn ? { topic: form.willTopic, payload: form.willPayload, qos: form.willQos, retain: form.willRetain } : null,
    subscribe: { filter: form.filter, qos: form.subscribeQos },
    publish: { topic: form.topic, payload: form.payload, format: form.format, qos: form.publishQos, retain: form.retain },
  });
}

function formOf(config: MqttCellConfig): MqttForm {
  return {
    clientId: config.clientId,
    clean: config.clean,
    keepAlive: String(config.keepAlive),
    willOn: config.will !== null,
    willTopic: config.will?.topic ?? 'status/me',
    willPayload: config.will?.payload ?? 'offline',
    willQos: config.will?.qos ?? 0,
    willRetain: config.will?.retain ?? false,
    filter: config.subscribe.filter,
    subscribeQos: config.subscribe.qos,
    topic: config.publish.topic,
    payload: config.publish.payload,
    format: config.publish.format,
    publishQos: config.publish.qos,
    retain: config.publish.retain,
  };
}

/** One connection the console opened, and what it needs to find that connection's bytes. */
interface Connection {
  client: MqttClient;
  /** the captured connection id, once the WebSocket handshake came back through the capture channel */
  conn: Promise<string | null>;
  /** packets logged so far per direction, type and packet id: the k-th such packet on the wire is the k-th logged */
  seen: Map<string, number>;
  /** how the student ended it: decides what the close line says */
  ending: 'disconnect' | 'drop' | null;
}

type FormError =
  | { kind: 'not-connected' }
  | { kind: 'keep-alive' }
  | { kind: 'client-id' }
  | { kind: 'topic'; error: TopicError; what: 'name' | 'filter' }
  | { kind: 'payload'; error: PayloadError; text: string };

const QOS_LEVELS: Qos[] = [0, 1, 2];

export function MqttCell({ cellId, initialText, saveKey, onExchange, onInspect }: CellProps) {
  const parsed = useMemo(() => parseMqttCell(initialText), [initialText]);
  if (!parsed.ok) return <BadCellConfig problems={parsed.problems} />;
  return <MqttConsole cellId={cellId} config={parsed.config} saveKey={saveKey} onExchange={onExchange} onInspect={onInspect} />;
}

function MqttConsole({ cellId, config, saveKey, onExchange, onInspect }: { cellId: string; config: MqttCellConfig } & Pick<CellProps, 'saveKey' | 'onExchange' | 'onInspect'>) {
  const t = useStrings(mqttConsoleStrings);
  const lang = useLang();
  const log = useConsoleLog();
  const original = useMemo(() => formOf(config), [config]);
  const [form, setForm] = useSavedCellState<MqttForm>(saveKey, original);
  const [state, setState] = useState<ConsoleState>('IDLE');
  const [subscriptions, setSubscriptions] = useState<Array<{ filter: string; granted: string }>>([]);
  const [connectError, setConnectError] = useState<FormError | null>(null);
  const [subscribeError, setSubscribeError] = useState<FormError | null>(null);
  const [publishError, setPublishError] = useState<FormError | null>(null);
  const current = useRef<Connection | null>(null);

  useEffect(() => () => void current.current?.client.end(true), []);

  const set = <K extends keyof MqttForm>(key: K) => (value: MqttForm[K]) => setForm((previous) => ({ ...previous, [key]: value }));

  // A logged packet is found by what it is, not by its position among all packets: the k-th
  // packet of its direction, type and packet id. One packet the log did not see (mqtt.js wrote
  // CONNECT before the listeners existed, until manualConnect) would shift every position after it.
  const packetLink = (connection: Connection, dir: 'in' | 'out', packet: ParsedPacket) => {
    const type = packetType(packet);
    const key = `${dir}/${type}/${packet.messageId ?? ''}`;
    const ordinal = connection.seen.get(key) ?? 0;
    connection.seen.set(key, ordinal + 1);
    return async (): Promise<Selection | null> => {
      const conn = await connection.conn;
      if (!conn) return null;
      const found = await waitForCapture(
        getCaptureStore(),
        (snapshot) =>
          connectionView(snapshot, conn)?.messages.filter(
            (message) =>
              message.layer === 'mqtt-packet' &&
              message.dir === dir &&
              message.fields?.type === type &&
              (packet.messageId === undefined || message.fields?.packetId === packet.messageId),
          )[ordinal],
        CAPTURE_WAIT_MS,
      );
      return found ? { conn, message: found.index } : null;
    };
  };

  const logPacket = (connection: Connection, packet: ParsedPacket, dir: 'in' | 'out') => {
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
        text: say((t) => `${t.messageLine(packet.topic ?? '', packet.qos ?? 0, packet.retain === true, packet.dup === true)}${packet.messageId !== undefined ? ` · id ${packet.messageId}` : ''}`),
        detail: payload.kind === 'text' ? payload.text : `${t.hexPayload(payload.text)}`,
        inspect,
        inspectLabel: say((t) => t.packet),
        data,
      });
      return;
    }
    // the badge names the type; the text says the rest of the summary
    const details = say((_, lang) => summarizePacket(packet, lang).slice(type.length).replace(/^ · /, ''));
    log.add({ kind: dir === 'in' ? 'sent' : 'received', badge: type, text: details, inspect, inspectLabel: say((t) => t.packet), data });
  };

  const connect = async () => {
    if (current.current && state !== 'CLOSED' && state !== 'IDLE') return;
    const keepAlive = Number(form.keepAlive);
    if (!/^\d+$/.test(form.keepAlive.trim()) || keepAlive > MAX_KEEP_ALIVE) return setConnectError({ kind: 'keep-alive' });
    if (!form.clean && form.clientId.trim() === '') return setConnectError({ kind: 'client-id' });
    if (form.willOn) {
      const willTopic = checkTopicName(form.willTopic);
      if (!willTopic.ok) return setConnectError({ kind: 'topic', error: willTopic.error, what: 'name' });
    }
    setConnectError(null);
    await sessionReady();
    const after = captureTimeNow();
    const options: IClientOptions = {
      protocolVersion: 4,
      clean: form.clean,
      keepalive: keepAlive,
      // the console shows every attempt itself: no silent reconnects behind the student's back
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      // mqtt.js would run its keep-alive timer in a worker made from a blob: URL, which the
      // page's Content-Security-Policy (worker-src) refuses; the page's own timers do the job
      timerVariant: 'native',
      // listeners first, then connect: mqtt.js writes CONNECT as soon as it connects, and the log wants it
      manualConnect: true,
      ...(form.clientId.trim() !== '' ? { clientId: form.clientId.trim() } : {}),
      ...(form.willOn ? { will: { topic: form.willTopic, payload: form.willPayload, qos: form.willQos, retain: form.willRetain } } : {}),
    };
    const handshake = claimNextExchange(getCaptureStore(), { method: 'GET', target: MQTT_WEBSOCKET_PATH, after, accept: (exchange) => exchange.response?.status === 101 });
    let client: MqttClient;
    try {
      client = mqtt.connect(webSocketUrl(MQTT_WEBSOCKET_PATH, window.location.origin), options);
    } catch (error) {
      log.add({ kind: 'error', text: say((t) => t.failed(error instanceof Error ? error.message : String(error))) });
      return;
    }
    const connection: Connection = { client, conn: handshake.then((exchange) => exchange?.conn ?? null), seen: new Map(), ending: null };
    current.current = connection;
    const isCurrent = () => current.current === connection;
    setState('CONNECTING');
    setSubscriptions([]);
    log.add({
      kind: 'info',
      text: say((t) => t.connecting(form.clientId.trim(), form.clean, keepAlive, form.willOn ? form.willTopic : null)),
      inspectLabel: say((t) => t.handshake),
      inspect: async () => {
        const exchange = await handshake;
        return exchange ? { conn: exchange.conn, index: exchange.index } : null;
      },
    });
    void handshake.then((exchange) => {
      if (exchange && isCurrent()) onExchange?.(exchange);
    });
    client.on('packetsend', (packet) => isCurrent() && logPacket(connection, packet as ParsedPacket, 'in'));
    client.on('packetreceive', (packet) => isCurrent() && logPacket(connection, packet as ParsedPacket, 'out'));
    client.on('connect', (connack) => {
      if (!isCurrent()) return;
      setState('CONNECTED');
      log.add({ kind: 'info', text: say((t) => t.connected(connack.sessionPresent === true)) });
    });
    client.on('error', (error: Error & { code?: number }) => {
      if (!isCurrent()) return;
      const code = error.code;
      if (typeof code === 'number' && CONNACK_CODES[code]) log.add({ kind: 'error', text: say((t, lang) => t.refused(code, CONNACK_CODES[code][lang])) });
      else log.add({ kind: 'error', text: say((t) => t.failed(error.message)) });
    });
    client.on('close', () => {
      if (!isCurrent()) return;
      // mqtt.js reports close once per connection attempt; with reconnects off this is the end
      setState('CLOSED');
      setSubscriptions([]);
      const how = connection.ending ?? 'lost';
      log.add({ kind: how === 'disconnect' ? 'info' : 'error', text: say((t) => t.closed(how)), data: { event: 'close', how } });
      client.removeAllListeners('packetsend');
      client.removeAllListeners('packetreceive');
    });
    client.connect();
  };

  const connected = (): Connection | null => {
    const connection = current.current;
    return connection && state === 'CONNECTED' ? connection : null;
  };

  const end = (how: 'disconnect' | 'drop') => {
    const connection = current.current;
    if (!connection || state === 'CLOSED' || state === 'IDLE') return;
    connection.ending = how;
    // end(true) destroys the stream without DISCONNECT; end(false) sends DISCONNECT first
    connection.client.end(how === 'drop');
  };

  const subscribe = () => {
    const connection = connected();
    if (!connection) return setSubscribeError({ kind: 'not-connected' });
    const filter = form.filter;
    const check = checkTopicFilter(filter);
    if (!check.ok) return setSubscribeError({ kind: 'topic', error: check.error, what: 'filter' });
    setSubscribeError(null);
    log.add({ kind: 'info', text: say((t) => t.subscribing(filter, form.subscribeQos)) });
    connection.client.subscribe(filter, { qos: form.subscribeQos }, (error, granted) => {
      if (error) log.add({ kind: 'error', text: say((t) => t.failed(error.message)) });
      if (error || !granted) return;
      for (const grant of granted) {
        if (grant.qos === 128) log.add({ kind: 'error', text: say((t) => t.subscribeRefused(grant.topic)) });
        else setSubscriptions((list) => [...list.filter((item) => item.filter !== grant.topic), { filter: grant.topic, granted: grantedText(grant.qos) }]);
      }
    });
  };

  const unsubscribe = (filter: string) => {
    const connection = connected();
    if (!connection) return setSubscribeError({ kind: 'not-connected' });
    const check = checkTopicFilter(filter);
    if (!check.ok) return setSubscribeError({ kind: 'topic', error: check.error, what: 'filter' });
    setSubscribeError(null);
    connection.client.unsubscribe(filter, () => setSubscriptions((list) => list.filter((item) => item.filter !== filter)));
  };

  const publish = () => {
    const connection = connected();
    if (!connection) return setPublishError({ kind: 'not-connected' });
    const topic = checkTopicName(form.topic);
    if (!topic.ok) return setPublishError({ kind: 'topic', error: topic.error, what: 'name' });
    const payload = encodePayload(form.payload, form.format);
    if (!payload.ok) return setPublishError({ kind: 'payload', error: payload.error, text: form.payload });
    setPublishError(null);
    // text and JSON go as the string (mqtt.js writes it as UTF-8); hex as the bytes themselves
    // (mqtt-packet measures and writes any Uint8Array, its Buffer type notwithstanding)
    const message = form.format === 'hex' ? (payload.bytes as unknown as Buffer) : form.payload;
    connection.client.publish(form.topic, message, { qos: form.publishQos, retain: form.retain });
  };

  const errorText = (error: FormError | null): string | null => {
    if (!error) return null;
    switch (error.kind) {
      case 'not-connected':
        return t.notConnected;
      case 'keep-alive':
        return t.keepAliveError;
      case 'client-id':
        return t.clientIdNeeded;
      case 'topic':
        return t.topicError(error.error, error.what);
      case 'payload':
        return error.error.format === 'hex' ? t.hexError(error.error.error) : t.jsonError(describeJsonError(error.error.message, lang, error.text));
    }
  };

  const busy = state === 'CONNECTING' || state === 'CONNECTED';
  const open = state === 'CONNECTED';
  const payloadSize = (() => {
    const encoded = encodePayload(form.payload, form.format);
    return encoded.ok ? encoded.bytes.length : null;
  })();
  const qosSelect = (value: Qos, onChange: (qos: Qos) => void, testId: string, label: string) => (
    <label className="rt-field">
      {label}
      <select className="rt-input" value={value} onChange={(event) => onChange(Number(event.target.value) as Qos)} data-testid={testId}>
        {QOS_LEVELS.map((qos) => (
          <option key={qos} value={qos}>
            {qos}
          </option>
        ))}
      </select>
    </label>
  );
  const alert = (error: FormError | null, testId: string) =>
    error && (
      <p className="rt-error" role="alert" data-testid={testId}>
        {errorText(error)}
      </p>
    );

  return (
    <section className="rt-console" data-testid="cell" data-cell-id={cellId} data-kind="mqtt" aria-label={t.consoleLabel(cellId)} lang={lang}>
      <div className="rt-row rt-toolbar" role="group" aria-label={t.connection}>
        <label className="rt-field" title={t.clientIdHint}>
          {t.clientId}
          <input className="rt-input" value={form.clientId} onChange={(event) => set('clientId')(event.target.value)} disabled={busy} data-testid="mqtt-client-id" spellCheck={false} />
        </label>
        <label className="rt-field" title={t.cleanHint}>
          <input type="checkbox" checked={form.clean} onChange={(event) => set('clean')(event.target.checked)} disabled={busy} data-testid="mqtt-clean" /> {t.clean}
        </label>
        <label className="rt-field" title={t.keepAliveHint}>
          {t.keepAlive}
          <input className="rt-input rt-input-narrow" value={form.keepAlive} onChange={(event) => set('keepAlive')(event.target.value)} disabled={busy} inputMode="numeric" data-testid="mqtt-keep-alive" />
        </label>
        <label className="rt-field" title={t.willHint}>
          <input type="checkbox" checked={form.willOn} onChange={(event) => set('willOn')(event.target.checked)} disabled={busy} data-testid="mqtt-will" /> {t.will}
        </label>
        <span className="toolbar-spacer" />
        {busy ? (
          <>
            <button type="button" className="button" data-testid="mqtt-disconnect" onClick={() => end('disconnect')} title={t.disconnectHint}>
              {t.disconnect}
            </button>
            <button type="button" className="button" data-testid="mqtt-drop" onClick={() => end('drop')} title={t.dropHint}>
              {t.drop}
            </button>
          </>
        ) : (
          <button type="button" className="button button-primary" data-testid="mqtt-connect" onClick={connect}>
            {t.connect}
          </button>
        )}
        <span className="rt-state" data-testid="mqtt-state" data-state={state === 'CONNECTED' ? 'connected' : state}>
          {t.state[state]}
        </span>
        <AsCodeButton spec={() => specOfForm(form)} />
        <button type="button" className="button button-quiet rt-small" onClick={() => setForm(original)} disabled={busy} title={t.resetHint} data-testid="mqtt-reset">
          {t.reset}
        </button>
      </div>
      {form.willOn && (
        <div className="rt-row" role="group" aria-label={t.will}>
          <label className="rt-field">
            {t.willTopic}
            <input className="rt-input" value={form.willTopic} onChange={(event) => set('willTopic')(event.target.value)} disabled={busy} data-testid="mqtt-will-topic" spellCheck={false} />
          </label>
          <label className="rt-field">
            {t.willPayload}
            <input className="rt-input" value={form.willPayload} onChange={(event) => set('willPayload')(event.target.value)} disabled={busy} data-testid="mqtt-will-payload" spellCheck={false} />
          </label>
          {qosSelect(form.willQos, set('willQos'), 'mqtt-will-qos', t.qos)}
          <label className="rt-field" title={t.retainHint}>
            <input type="checkbox" checked={form.willRetain} onChange={(event) => set('willRetain')(event.target.checked)} disabled={busy} data-testid="mqtt-will-retain" /> {t.retain}
          </label>
        </div>
      )}
      {alert(connectError, 'mqtt-connect-error')}

      <div className="rt-row" role="group" aria-label={t.subscribeSection}>
        <label className="rt-field rt-input-wide" title={t.filterHint}>
          {t.filter}
          <input
            className="rt-input rt-input-wide"
            value={form.filter}
            onChange={(event) => set('filter')(event.target.value)}
            onKeyDown={(event) => event.key === 'Enter' && subscribe()}
            data-testid="mqtt-filter"
            spellCheck={false}
          />
        </label>
        {qosSelect(form.subscribeQos, set('subscribeQos'), 'mqtt-subscribe-qos', t.qos)}
        <button type="button" className="button button-primary" onClick={subscribe} disabled={!open} data-testid="mqtt-subscribe">
          {t.subscribe}
        </button>
        <button type="button" className="button" onClick={() => unsubscribe(form.filter)} disabled={!open} data-testid="mqtt-unsubscribe">
          {t.unsubscribe}
        </button>
        <span className="rt-note-inline" data-testid="mqtt-subscriptions">
          {t.subscriptions}:{' '}
          {subscriptions.length === 0
            ? t.noSubscriptions
            : subscriptions.map((item) => (
                <span key={item.filter} className="rt-log-badge" data-filter={item.filter}>
                  {item.filter} · {t.granted(item.granted)}{' '}
                  <button type="button" className="link-button" onClick={() => unsubscribe(item.filter)} aria-label={`${t.unsubscribe} ${item.filter}`}>
                    ×
                  </button>
                </span>
              ))}
        </span>
        {alert(subscribeError, 'mqtt-subscribe-error')}
      </div>

      <div className="rt-row" role="group" aria-label={t.publishSection}>
        <label className="rt-field rt-input-wide">
          {t.topic}
          <input className="rt-input rt-input-wide" value={form.topic} onChange={(event) => set('topic')(event.target.value)} data-testid="mqtt-topic" spellCheck={false} />
        </label>
        {PAYLOAD_FORMATS.map((format) => (
          <label key={format} className="rt-field">
            <input type="radio" name={`${cellId}-format`} checked={form.format === format} onChange={() => set('format')(format)} data-testid={`mqtt-format-${format}`} /> {t.format[format]}
          </label>
        ))}
        <textarea
          className="rt-input"
          aria-label={t.payload}
          value={form.payload}
          onChange={(event) => set('payload')(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              publish();
            }
          }}
          data-testid="mqtt-payload"
          spellCheck={false}
          rows={2}
        />
        {qosSelect(form.publishQos, set('publishQos'), 'mqtt-publish-qos', t.qos)}
        <label className="rt-field" title={t.retainHint}>
          <input type="checkbox" checked={form.retain} onChange={(event) => set('retain')(event.target.checked)} data-testid="mqtt-retain" /> {t.retain}
        </label>
        {payloadSize !== null && <span className="rt-field">{t.size(payloadSize)}</span>}
        <span className="toolbar-spacer" />
        <button type="button" className="button button-primary" onClick={publish} disabled={!open} data-testid="mqtt-publish">
          {t.publish}
        </button>
        {alert(publishError, 'mqtt-publish-error')}
      </div>

      <ConsoleLog entries={log.entries} trimmed={log.trimmed} onClear={log.clear} onInspect={onInspect} />
    </section>
  );
}
