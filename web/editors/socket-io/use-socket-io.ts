import { useRef, useState } from 'react';
import { io, type Manager, type Socket } from 'socket.io-client';
import { sessionReady } from '../../kit/session.ts';
import type { Selection } from '../../inspector/exchange-sections.ts';
import type { WireMessage } from '../../../wire/types.ts';
import { bilingual, type useConsoleLog } from '../console-kit/console-log.tsx';
import { findMessageSelection } from '../console-kit/inspector-links.ts';
import { useLiveConnection } from '../console-kit/use-live-connection.ts';
import { serverGoingAway } from './server-going-away.ts';
import { sessionMessages } from './session-messages.ts';
import type { SocketIoTransport } from './sio-cell-config.ts';
import { socketIoConsoleStrings } from './strings.ts';

const say = bilingual(socketIoConsoleStrings);

/** How long an emit with an ack waits for the server's reply before the console reports a timeout. */
export const ACK_TIMEOUT_MS = 10_000;

export type SocketIoState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

type Log = ReturnType<typeof useConsoleLog>;

/** Counts, per Engine.IO session, the packets the page saw, to find the n-th of a kind in the capture. */
class PacketCounter {
  private counts = new Map<string, number>();
  next(key: string): number {
    const count = this.counts.get(key) ?? 0;
    this.counts.set(key, count + 1);
    return count;
  }
}

/** The capture of the `ordinal`-th packet of session `sid` that `keep` accepts. */
const packetLink = (sid: string | undefined, keep: (message: WireMessage) => boolean, ordinal: number) => async (): Promise<Selection | null> =>
  sid ? findMessageSelection((snapshot) => sessionMessages(snapshot.connections, sid, keep)[ordinal]) : null;

const isSocketIo = (type: string, dir: 'in' | 'out', eventName?: string) => (message: WireMessage) =>
  message.layer === 'socket-io-packet' &&
  message.dir === dir &&
  message.fields?.type === type &&
  (eventName === undefined || message.fields?.event === eventName);

const isEngineIo = (type: string, dir?: 'in' | 'out') => (message: WireMessage) =>
  message.layer === 'engine-io-packet' && (dir === undefined || message.dir === dir) && message.fields?.type === type;

/** What the listeners of one socket need of the console. */
interface SocketContext {
  log: Log;
  setState(state: SocketIoState): void;
  setTransport(name: string | null): void;
  /** the Engine.IO session id now (remembered at 'open': the engine forgets it as soon as it closes) */
  sid(): string | undefined;
  setSid(sid: string): void;
  counterOf(sid: string | undefined): PacketCounter;
  /** the socket is over for good (refused, or disconnected on purpose) */
  forget(): void;
  /** the server went away (stopped, or restarting) and the client has not connected again since */
  serverAway: boolean;
}

/** The Engine.IO side: the session opening, its transport upgrading, the manager reconnecting. */
function listenToManager(context: SocketContext, manager: Manager) {
  const { log } = context;
  manager.on('open', () => {
    const engine = manager.engine;
    const engineSid = engine.id;
    context.setSid(engineSid);
    context.setTransport(engine.transport.name);
    log.add({
      kind: 'info',
      badge: 'engine.io',
      text: say((t) => t.engineOpen(engineSid, engine.transport.name)),
      inspectLabel: say((t) => t.showOpen),
      inspect: packetLink(engineSid, isEngineIo('open'), 0),
      data: { event: 'open', transport: engine.transport.name },
    });
    engine.on('upgrading', (next) => log.add({ kind: 'info', badge: 'engine.io', text: say((t) => t.upgrading(next.name)) }));
    engine.on('upgrade', (next) => {
      context.setTransport(next.name);
      log.add({
        kind: 'info',
        badge: 'engine.io',
        text: say((t) => t.upgraded(next.name)),
        inspect: packetLink(engineSid, isEngineIo('upgrade', 'in'), 0),
        data: { event: 'upgrade', transport: next.name },
      });
    });
    engine.on('upgradeError', (error) => log.add({ kind: 'error', badge: 'engine.io', text: say((t) => t.upgradeFailed(error.message)) }));
  });
  manager.on('reconnect_attempt', (attempt) => {
    context.setState('reconnecting');
    log.add({ kind: 'info', text: say((t) => t.reconnectAttempt(attempt)) });
  });
  manager.on('reconnect', (attempt) => log.add({ kind: 'info', text: say((t) => t.reconnected(attempt)), data: { event: 'reconnect' } }));
}

/** The Socket.IO side: connected, refused, disconnected, and every event the server emits. */
function listenToSocket(context: SocketContext, socket: Socket) {
  const { log } = context;
  const linkNext = (type: string, key: string, eventName?: string) => {
    const engineSid = context.sid();
    return packetLink(engineSid, isSocketIo(type, 'out', eventName), context.counterOf(engineSid).next(key));
  };
  socket.on('connect', () => {
    context.serverAway = false;
    context.setState('connected');
    log.add({
      kind: 'info',
      badge: 'socket.io',
      text: say((t) => t.connected(socket.id ?? '?')),
      inspect: linkNext('CONNECT', 'CONNECT out'),
      data: { event: 'connect' },
    });
  });
  socket.on('connect_error', (error) => {
    if (context.serverAway && socket.active) {
      // The restarting server cannot be reached for a moment: expected, not the student's fault.
      log.add({ kind: 'info', badge: 'socket.io', text: say((t) => t.serverNotBack(error.message)), data: { event: 'connect_error' } });
      return;
    }
    // A refusal by the server's middleware is final; a network failure is retried.
    log.add({
      kind: 'error',
      badge: 'socket.io',
      text: say((t, lang) => t.connectError(localizedMessage(error, lang), socket.active)),
      inspect: linkNext('CONNECT_ERROR', 'CONNECT_ERROR out'),
      data: { event: 'connect_error' },
    });
    context.setState(socket.active ? 'reconnecting' : 'closed');
    if (!socket.active) {
      socket.disconnect();
      context.forget();
    }
  });
  socket.on('disconnect', (reason, details) => {
    const away = socket.active ? serverGoingAway(reason, details) : null;
    if (away) context.serverAway = true;
    log.add({
      kind: socket.active && !away ? 'error' : 'info',
      badge: 'socket.io',
      text: say((t) => (away ? t.serverWentAway(away) : t.disconnected(reason, socket.active))),
      data: { event: 'disconnect', reason, ...(away ? { 'server-away': away.transport } : {}) },
    });
    context.setTransport(null);
    if (!socket.active) {
      context.setState('closed');
      context.forget();
    } else context.setState('reconnecting');
  });
  socket.onAny((name: string, ...args: unknown[]) => {
    log.add({
      kind: 'received',
      badge: 'event',
      text: name,
      detail: JSON.stringify(args),
      inspect: linkNext('EVENT', `EVENT out ${name}`, name),
      data: { event: name },
    });
  });
}

/**
 * The console's socket.io-client: connects with the namespace, auth and transports, logs both
 * layers (each row linked to its packet), emits with or without ack, and drops the transport.
 */
export function useSocketIo(log: Log) {
  const live = useLiveConnection<Socket, SocketIoState>('idle', ['connecting', 'connected', 'reconnecting'], (socket) => socket.disconnect());
  const { current: socketRef, setState } = live;
  const [transport, setTransport] = useState<string | null>(null);
  const sidRef = useRef<string | undefined>(undefined);
  const counters = useRef(new Map<string, PacketCounter>());

  const counterOf = (sid: string | undefined) => {
    const key = sid ?? '';
    let counter = counters.current.get(key);
    if (!counter) counters.current.set(key, (counter = new PacketCounter()));
    return counter;
  };

  const connect = async (namespace: string, auth: Record<string, unknown>, transports: SocketIoTransport[]) => {
    if (socketRef.current) return;
    await sessionReady();
    const socket = io(namespace, { path: '/socket.io/', auth, transports, forceNew: true, reconnectionDelay: 1000, reconnectionDelayMax: 5000 });
    socketRef.current = socket;
    setState('connecting');
    setTransport(null);
    log.add({ kind: 'info', text: say((t) => t.connecting(namespace, transports)) });
    let currentSid: string | undefined;
    sidRef.current = undefined;
    const context: SocketContext = {
      log,
      setState,
      setTransport,
      sid: () => currentSid,
      setSid: (sid) => {
        currentSid = sid;
        sidRef.current = sid;
      },
      counterOf,
      forget: () => {
        socketRef.current = null;
      },
      serverAway: false,
    };
    listenToManager(context, socket.io);
    listenToSocket(context, socket);
  };

  /** Sends an event; false when there is no connected socket to send it on. */
  const emit = (eventName: string, args: unknown[], ack: boolean): boolean => {
    const socket = socketRef.current;
    if (!socket || !socket.connected) return false;
    const engineSid = sidRef.current;
    const counter = counterOf(engineSid);
    log.add({
      kind: 'sent',
      badge: 'emit',
      text: say((t) => t.emitted(eventName, ack)),
      detail: JSON.stringify(args),
      inspect: packetLink(engineSid, isSocketIo('EVENT', 'in', eventName), counter.next(`EVENT in ${eventName}`)),
      data: { event: eventName },
    });
    if (!ack) {
      socket.emit(eventName, ...args);
      return true;
    }
    socket.timeout(ACK_TIMEOUT_MS).emit(eventName, ...args, (error: Error | null, ...reply: unknown[]) => {
      if (error) return log.add({ kind: 'error', badge: 'ack', text: say((t) => t.ackTimeout(eventName, ACK_TIMEOUT_MS)) });
      log.add({
        kind: 'received',
        badge: 'ack',
        text: say((t) => t.ackReply(eventName)),
        detail: JSON.stringify(reply),
        inspect: packetLink(engineSid, isSocketIo('ACK', 'out'), counter.next('ACK out')),
        data: { event: 'ack', for: eventName },
      });
    });
    return true;
  };

  const disconnect = () => {
    socketRef.current?.disconnect();
  };

  const drop = () => {
    const engine = socketRef.current?.io.engine;
    if (!engine) return;
    log.add({ kind: 'info', text: say((t) => t.dropped) });
    // Closing the engine, not the socket: Socket.IO takes it for a lost transport and reconnects.
    engine.close();
  };

  return { state: live.state, live: live.live, connected: live.state === 'connected', transport, connect, emit, disconnect, drop };
}

/** The server's refusal in the reader's language when it sent both (`data.localized`), else its message. */
function localizedMessage(error: Error, lang: 'en' | 'ru'): string {
  const localized = (error as Error & { data?: { localized?: Partial<Record<'en' | 'ru', unknown>> } }).data?.localized?.[lang];
  return typeof localized === 'string' ? localized : error.message;
}
