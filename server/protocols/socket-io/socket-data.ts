import type { DefaultEventsMap, Namespace, Server, Socket } from 'socket.io';
import type { EventRate } from './event-rate.ts';

/** What the server keeps about each socket. */
export interface SocketData {
  name: string;
  sandboxId: string;
  rate: EventRate;
  /** Rooms (as the client names them) where this socket last said it is typing. */
  typingIn: Set<string>;
}

export type WirelabIo = Server<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>;
export type WirelabNamespace = Namespace<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>;
export type WirelabSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>;
