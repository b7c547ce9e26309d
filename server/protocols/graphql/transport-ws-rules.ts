import type { WebSocket } from 'ws';
import { LEGACY_WS, TRANSPORT_WS, TRANSPORT_WS_CLOSE, isJsonObject, readClientMessage } from '../../../wire/graphql/transport-ws-messages.ts';

/**
 * Mercurius' server speaks graphql-transport-ws loosely: a subscribe before connection_init
 * closes 1005, a second connection_init is acknowledged, duplicate ids are accepted, frames that
 * are not a JSON object get an `error` message (or throw inside it: a JSON `null`). This sits in
 * front of it on each socket: every incoming frame is checked against the protocol first (its
 * shape by wire/graphql/transport-ws-messages.ts, the order of messages here), and a violation closes the socket with the protocol's code before mercurius sees the frame. Frames
 * that pass are handed on unchanged. Mercurius' `connection_error` (a refused connection_init;
 * no such message exists in graphql-transport-ws) becomes close 4403 Forbidden.
 *
 * For the legacy `graphql-ws` subprotocol only a frame that is JSON but no object is stopped
 * here (answered as mercurius answers non-JSON), so that nothing throws inside mercurius.
 *
 * `onBadFrame` is told the reason of every refused frame (for the log).
 */
export function enforceTransportRules(socket: WebSocket, onBadFrame: (reason: string) => void): void {
  const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
  const send = socket.send.bind(socket) as (data: unknown, ...rest: unknown[]) => void;
  const legacy = socket.protocol === LEGACY_WS;
  if (!legacy && socket.protocol !== TRANSPORT_WS) return;
  let initialised = false;
  const subscriptions = new Set<string>();
  // Ids the client completed, until it subscribes with one again. Mercurius starts a subscription
  // asynchronously: a complete that arrives while it is still starting finds nothing to stop, and
  // the subscription then runs on. graphql-transport-ws says nothing more may be sent for such an
  // id, so whatever mercurius sends for it is held back here, and the first event held back asks
  // mercurius once more to stop it (by then it can). The value: that second request was made.
  const completedByClient = new Map<string, boolean>();

  const refuse = (code: number, reason: string): false => {
    onBadFrame(`${code} ${reason}`);
    if (socket.readyState === socket.OPEN) socket.close(code, reason);
    return false;
  };

  /** true: hand the frame on to mercurius. */
  const check = (data: unknown, isBinary: boolean): boolean => {
    if (socket.readyState !== socket.OPEN) return false;
    if (legacy) return checkLegacyFrame(data, send, onBadFrame);
    const message = readClientMessage(String(data), isBinary);
    if ('close' in message) return refuse(message.close, message.reason);
    switch (message.type) {
      case 'connection_init':
        if (initialised) return refuse(TRANSPORT_WS_CLOSE.tooManyInitialisationRequests, 'Too many initialisation requests');
        initialised = true;
        return true;
      case 'ping':
      case 'pong':
        return true;
      case 'subscribe':
        if (!initialised) return refuse(TRANSPORT_WS_CLOSE.unauthorized, 'Unauthorized');
        if (subscriptions.has(message.id)) return refuse(TRANSPORT_WS_CLOSE.subscriberExists, `Subscriber for ${message.id} already exists`);
        subscriptions.add(message.id);
        completedByClient.delete(message.id);
        return true;
      case 'complete':
        subscriptions.delete(message.id);
        if (!completedByClient.has(message.id)) completedByClient.set(message.id, false);
        return true;
    }
  };

  socket.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === 'message' && !check(args[0], args[1] === true)) return false;
    return emit(event, ...args);
  }) as typeof socket.emit;

  if (legacy) return;
  socket.send = ((data: unknown, ...rest: unknown[]) => {
    if (completedByClient.size > 0 && typeof data === 'string') {
      const held = serverMessageFor(data, completedByClient);
      if (held) {
        if (held.type === 'next' && completedByClient.get(held.id) === false) {
          completedByClient.set(held.id, true);
          emit('message', Buffer.from(JSON.stringify({ id: held.id, type: 'complete' })), false);
        }
        // mercurius has let go of it: nothing more will come for this id
        if (held.type !== 'next') completedByClient.delete(held.id);
        const callback = rest.at(-1);
        if (typeof callback === 'function') queueMicrotask(() => callback());
        return;
      }
    }
    // Events ({"type":"next",…}) are most of the traffic: only the rarer messages are parsed.
    if (typeof data === 'string' && !data.startsWith('{"type":"next"')) {
      const message = jsonOrUndefined(data);
      if (isJsonObject(message)) {
        // The server ended this subscription: its id may be used again.
        if ((message.type === 'complete' || message.type === 'error') && typeof message.id === 'string') subscriptions.delete(message.id);
        if (message.type === 'connection_error') {
          onBadFrame(`${TRANSPORT_WS_CLOSE.forbidden} Forbidden`);
          socket.close(TRANSPORT_WS_CLOSE.forbidden, 'Forbidden');
          // mercurius waits for the send callback before it cleans up the connection
          const callback = rest.at(-1);
          if (typeof callback === 'function') callback();
          return;
        }
      }
    }
    send(data, ...rest);
  }) as typeof socket.send;
}

/** graphql-ws (legacy): a JSON frame that is no object is answered here, so nothing throws inside mercurius. */
function checkLegacyFrame(data: unknown, send: (data: unknown) => void, onBadFrame: (reason: string) => void): boolean {
  const message = jsonOrUndefined(String(data));
  // not JSON: mercurius answers "Message must be a JSON string"
  if (message === undefined || isJsonObject(message)) return true;
  onBadFrame('not a JSON object');
  send(JSON.stringify({ type: 'error', id: null, payload: [{ message: 'Message must be a JSON object' }] }));
  return false;
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The type and id of a server message (mercurius writes `{"type":…,"id":…,…}`) when its id is one
 * of `ids`; undefined for any other message. Reads only the start of an event.
 */
function serverMessageFor(data: string, ids: ReadonlyMap<string, boolean>): { type: string; id: string } | undefined {
  const head = /^\{"type":"(next|complete|error)","id":("(?:[^"\\]|\\.)*")/.exec(data);
  if (!head) return undefined;
  let id: unknown;
  try {
    id = JSON.parse(head[2]);
  } catch {
    return undefined;
  }
  return typeof id === 'string' && ids.has(id) ? { type: head[1], id } : undefined;
}
