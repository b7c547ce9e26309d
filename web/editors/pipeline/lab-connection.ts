import mqtt, { type MqttClient } from 'mqtt';
import { sessionReady } from '../../kit/session.ts';
import { isNewerLab, parseNotification, type LabView, type NotificationView } from './lab-state.ts';

export type LabStatus = 'connecting' | 'live' | 'lost';
export type BrokerStatus = 'connecting' | 'connected' | 'closed';

export interface LabListener {
  state(lab: LabView): void;
  labStatus(status: LabStatus): void;
  brokerStatus(status: BrokerStatus): void;
  notification(notification: NotificationView): void;
}

const LAB_EVENTS = '/api/v1/pipeline/events';

/**
 * One event stream and one broker connection per page, shared by every pipeline cell on it: a
 * lesson places several, and each holding its own stream would use up HTTP/1.1's six
 * connections per host.
 */
interface Shared {
  source: EventSource | null;
  broker: MqttClient | null;
  listeners: Set<LabListener>;
  lab: LabView | null;
  /** the revision of the state shown; null once a stream (re)opens: a restarted server counts again from 1 */
  revision: number | null;
  labStatus: LabStatus;
  brokerStatus: BrokerStatus;
  closed: boolean;
}

let shared: Shared | null = null;
/** A page mark in the client id and the orders: two tabs never publish the same payload. */
export const pageMark = Math.random().toString(36).slice(2, 8);

function open(): Shared {
  const state: Shared = {
    source: null,
    broker: null,
    listeners: new Set(),
    lab: null,
    revision: null,
    labStatus: 'connecting',
    brokerStatus: 'connecting',
    closed: false,
  };
  void sessionReady().then(() => {
    if (state.closed) return;
    const source = new EventSource(LAB_EVENTS);
    state.source = source;
    source.addEventListener('open', () => {
      state.revision = null;
    });
    source.addEventListener('state', (event) => {
      show(state, JSON.parse((event as MessageEvent<string>).data) as LabView);
      state.labStatus = 'live';
      for (const listener of state.listeners) listener.labStatus('live');
    });
    source.onerror = () => {
      state.labStatus = 'lost';
      for (const listener of state.listeners) listener.labStatus('lost');
    };

    const page = new URL(window.location.href);
    // The cookie goes with the upgrade request: the broker puts this connection in the student's own sandbox.
    const broker = mqtt.connect(`${page.protocol === 'https:' ? 'wss' : 'ws'}://${page.host}/mqtt`, {
      clientId: `page-${pageMark}`,
      clean: true,
      protocolVersion: 4,
      keepalive: 30,
      reconnectPeriod: 3000,
      // mqtt.js' default keep-alive timer runs in a Worker made from a blob: URL, which the app's CSP (worker-src 'self') refuses.
      timerVariant: 'native',
    });
    state.broker = broker;
    const setBroker = (status: BrokerStatus) => {
      state.brokerStatus = status;
      for (const listener of state.listeners) listener.brokerStatus(status);
    };
    broker.on('connect', () => {
      setBroker('connected');
      broker.subscribe('notifications/#', { qos: 1 });
    });
    broker.on('close', () => setBroker('closed'));
    broker.on('message', (_topic, payload) => {
      const notification = parseNotification(payload.toString());
      if (!notification) return;
      for (const listener of state.listeners) listener.notification(notification);
    });
  });
  return state;
}

/** A state from the stream or from an answer, shown to every cell unless the page already shows a newer one. */
function show(state: Shared, lab: LabView): void {
  if (!isNewerLab(state.revision, lab)) return;
  state.revision = lab.revision;
  state.lab = lab;
  for (const listener of state.listeners) listener.state(lab);
}

/**
 * Joins the page's lab connection; `leave` closes it when the last cell goes, `answered` shows
 * the state an answer to a change carried (if nothing newer came on the stream meanwhile).
 */
export function joinLab(listener: LabListener): { leave(): void; broker(): MqttClient | null; answered(lab: LabView): void } {
  shared ??= open();
  const state = shared;
  state.listeners.add(listener);
  if (state.lab) listener.state(state.lab);
  listener.labStatus(state.labStatus);
  listener.brokerStatus(state.brokerStatus);
  return {
    broker: () => state.broker,
    answered: (lab) => show(state, lab),
    leave: () => {
      state.listeners.delete(listener);
      if (state.listeners.size > 0) return;
      state.closed = true;
      state.source?.close();
      state.broker?.end(true);
      if (shared === state) shared = null;
    },
  };
}
