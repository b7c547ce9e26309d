import type { ExtendedError } from 'socket.io';
import type { ChatBus } from '../../domain/index.ts';
import { sandboxOf } from '../../session/session-id.ts';
import { EventRate } from './event-rate.ts';
import { RATE_LIMIT_NOTICE_INTERVAL_MS, type SocketIoLimits } from './limits.ts';
import { errorData, messages, type Bilingual, type SocketIoErrorCode, type SocketIoErrorData } from './messages.ts';
import { chatMessageFrom, nameFromAuth, roomFrom, typingFrom } from './payloads.ts';
import type { RoomCensus } from './room-census.ts';
import type { WirelabIo, WirelabNamespace, WirelabSocket } from './socket-data.ts';

export type { SocketData, WirelabIo } from './socket-data.ts';
export type { RoomListing } from './room-census.ts';
type Ack = (...reply: unknown[]) => void;

export const CHAT_NAMESPACE = '/';
export const ADMIN_NAMESPACE = '/admin';
/** Refusals that came without an ack callback arrive as this event. */
export const ERROR_EVENT = 'wirelab:error';

export const CHAT_EVENTS = ['chat:join', 'chat:leave', 'chat:message', 'chat:typing'] as const;
export const ADMIN_EVENTS = ['admin:rooms'] as const;

/**
 * Rooms are server-side labels, so students in different sandboxes who all join "lobby" must get
 * different labels: the sandbox id (no ":" in it, see session-id.ts) goes first.
 */
export function chatRoomKey(sandboxId: string, room: string): string {
  return `chat:${sandboxId}:${room}`;
}

/** Every socket of a sandbox is in this room of its namespace: domain events and presence go there. */
export function sandboxRoomKey(sandboxId: string): string {
  return `sandbox:${sandboxId}`;
}

function chatRoomsOf(socket: WirelabSocket): string[] {
  const prefix = chatRoomKey(socket.data.sandboxId, '');
  return [...socket.rooms].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
}

/** Splits the ack callback (always the last argument when the client asked for one) from the arguments. */
function splitAck(args: unknown[]): { args: unknown[]; ack: Ack | null } {
  const last = args.at(-1);
  return typeof last === 'function' ? { args: args.slice(0, -1), ack: last as Ack } : { args, ack: null };
}

/** A refusal goes back the way the client can see it: in the ack when it asked for one, else as an event. */
function refuse(socket: WirelabSocket, ack: Ack | null, event: string, code: SocketIoErrorCode, text: Bilingual): void {
  const error: SocketIoErrorData = errorData(code, text, event);
  if (ack) ack({ ok: false, error });
  else socket.emit(ERROR_EVENT, error);
}

/** Namespace middleware: refuses a CONNECT without a name with CONNECT_ERROR, else fills in socket.data. */
function requireName(limits: SocketIoLimits) {
  return (socket: WirelabSocket, next: (err?: ExtendedError) => void): void => {
    const name = nameFromAuth(socket.handshake.auth, limits);
    if (name === null) {
      const text = messages.nameRequired(limits.maxNameLength);
      const error: ExtendedError = new Error(text.en);
      error.data = errorData('NAME_REQUIRED', text);
      next(error);
      return;
    }
    socket.data = {
      name,
      sandboxId: sandboxOf(socket.request.headers),
      rate: new EventRate(limits.maxEventsPerSecond, RATE_LIMIT_NOTICE_INTERVAL_MS),
      typingIn: new Set(),
    };
    next();
  };
}

/** Per-socket middleware of incoming events: the rate limit, then unknown event names. */
function guardEvents(socket: WirelabSocket, known: readonly string[], limits: SocketIoLimits): void {
  // Socket.IO closes the whole connection on a packet it cannot decode; the notice goes out first
  // (Engine.IO flushes what is queued before it closes the transport).
  socket.on('error', () => socket.emit(ERROR_EVENT, errorData('BAD_PACKET', messages.badPacket())));
  socket.use(([event, ...rest], next) => {
    const { ack } = splitAck(rest);
    if (!socket.data.rate.take()) {
      // An ack is a reply to one event and cannot multiply; a bare notice is rationed.
      if (ack) ack({ ok: false, error: errorData('RATE_LIMITED', messages.rateLimited(limits.maxEventsPerSecond), event) });
      else if (socket.data.rate.shouldNotify()) socket.emit(ERROR_EVENT, errorData('RATE_LIMITED', messages.rateLimited(limits.maxEventsPerSecond), event));
      return;
    }
    if (!known.includes(event)) return refuse(socket, ack, event, 'UNKNOWN_EVENT', messages.unknownEvent(String(event), known));
    next();
  });
}

export interface PresenceNotice {
  room: string;
  name: string;
  action: 'join' | 'leave';
  members: number;
}

/** Presence notices still counting members on other instances (shutdown waits for them). */
export type PendingNotices = Set<Promise<void>>;

/**
 * The chat namespace `/`: rooms, messages, the typing indicator; and the sandbox's domain events
 * (see index.ts), since every socket here is in its sandbox's room. Every accepted message also
 * goes to the domain's chat bus (the MQTT broker mirrors it). `census` counts a room's members on
 * every instance (README.md, "Several instances").
 */
export function setUpChat(io: WirelabIo, limits: SocketIoLimits, chatBus: ChatBus, census: RoomCensus, pending: PendingNotices): WirelabNamespace {
  const chat = io.of(CHAT_NAMESPACE);
  const admin = io.of(ADMIN_NAMESPACE);
  chat.use(requireName(limits));

  /**
   * Tells the room's other members, and the sandbox's `/admin`, that `name` joined or left. The
   * count is taken here (this process's part at once, so a join or leave just done is in it) and
   * on the other instances (a Redis round trip).
   */
  function announce(socket: WirelabSocket, room: string, action: PresenceNotice['action']): Promise<void> {
    const { sandboxId, name } = socket.data;
    const key = chatRoomKey(sandboxId, room);
    const here = census.localSize(key);
    const sent = census.remoteSize(key).then((elsewhere) => {
      const notice: PresenceNotice = { room, name, action, members: here + elsewhere };
      chat.to(key).except(socket.id).emit('chat:presence', notice);
      admin.to(sandboxRoomKey(sandboxId)).emit('admin:presence', notice);
    });
    pending.add(sent);
    return sent.finally(() => pending.delete(sent));
  }

  function stopTyping(socket: WirelabSocket, room: string): void {
    if (!socket.data.typingIn.delete(room)) return;
    socket.to(chatRoomKey(socket.data.sandboxId, room)).emit('chat:typing', { room, name: socket.data.name, typing: false });
  }

  chat.on('connection', (socket) => {
    socket.join(sandboxRoomKey(socket.data.sandboxId));
    guardEvents(socket, CHAT_EVENTS, limits);

    const tools: ChatTools = { chat, chatBus, limits, announce, stopTyping };
    onRoomMembership(socket, tools);
    onChatLines(socket, tools);

    socket.on('disconnecting', () => {
      for (const room of chatRoomsOf(socket)) {
        stopTyping(socket, room);
        // Still in its rooms while disconnecting: it leaves first, so the count is without it.
        socket.leave(chatRoomKey(socket.data.sandboxId, room));
        void announce(socket, room, 'leave');
      }
    });
  });
  return chat;
}

/** What the chat's handlers share: the namespace, the chat bus, the limits and the presence notices. */
interface ChatTools {
  chat: WirelabNamespace;
  chatBus: ChatBus;
  limits: SocketIoLimits;
  announce(socket: WirelabSocket, room: string, action: PresenceNotice['action']): Promise<void>;
  stopTyping(socket: WirelabSocket, room: string): void;
}

/** chat:join and chat:leave: a room entered or left, announced to its other members before the ack. */
function onRoomMembership(socket: WirelabSocket, { limits, announce, stopTyping }: ChatTools): void {
  socket.on('chat:join', async (...raw: unknown[]) => {
    const { args, ack } = splitAck(raw);
    const room = roomFrom(args[0], limits);
    if (room === null) return refuse(socket, ack, 'chat:join', 'BAD_ROOM', messages.badRoom(limits.maxRoomNameLength));
    const key = chatRoomKey(socket.data.sandboxId, room);
    if (!socket.rooms.has(key)) {
      if (chatRoomsOf(socket).length >= limits.maxRoomsPerSocket) {
        return refuse(socket, ack, 'chat:join', 'TOO_MANY_ROOMS', messages.tooManyRooms(limits.maxRoomsPerSocket));
      }
      socket.join(key);
      // The ack after the notice: a client that waits for it knows the others heard of it first.
      await announce(socket, room, 'join');
    }
    ack?.({ ok: true, room });
  });

  socket.on('chat:leave', async (...raw: unknown[]) => {
    const { args, ack } = splitAck(raw);
    const room = roomFrom(args[0], limits);
    if (room === null) return refuse(socket, ack, 'chat:leave', 'BAD_ROOM', messages.badRoom(limits.maxRoomNameLength));
    const key = chatRoomKey(socket.data.sandboxId, room);
    if (!socket.rooms.has(key)) return refuse(socket, ack, 'chat:leave', 'NOT_IN_ROOM', messages.notInRoom(room));
    stopTyping(socket, room);
    socket.leave(key);
    await announce(socket, room, 'leave');
    ack?.({ ok: true, room });
  });
}

/** chat:message and chat:typing: what a member says in a room, and that it is typing. */
function onChatLines(socket: WirelabSocket, { chat, chatBus, limits, stopTyping }: ChatTools): void {
  socket.on('chat:message', (...raw: unknown[]) => {
    const { args, ack } = splitAck(raw);
    const parsed = chatMessageFrom(args[0], limits);
    if (!parsed.ok) {
      return parsed.problem === 'room'
        ? refuse(socket, ack, 'chat:message', 'BAD_ROOM', messages.badRoom(limits.maxRoomNameLength))
        : refuse(socket, ack, 'chat:message', 'BAD_MESSAGE', messages.badMessage(limits.maxMessageLength));
    }
    const { room, text } = parsed.value;
    const key = chatRoomKey(socket.data.sandboxId, room);
    if (!socket.rooms.has(key)) return refuse(socket, ack, 'chat:message', 'NOT_IN_ROOM', messages.notInRoom(room));
    stopTyping(socket, room);
    // To everybody in the room, the sender included: the sender sees its message come back as the others do.
    const at = new Date().toISOString();
    chat.to(key).emit('chat:message', { room, name: socket.data.name, text, at });
    chatBus.publish({ sandboxId: socket.data.sandboxId, room, name: socket.data.name, text, at, via: 'socket.io' });
    ack?.({ ok: true, room });
  });

  socket.on('chat:typing', (...raw: unknown[]) => {
    const { args, ack } = splitAck(raw);
    const parsed = typingFrom(args[0], limits);
    if (!parsed.ok) {
      return parsed.problem === 'room'
        ? refuse(socket, ack, 'chat:typing', 'BAD_ROOM', messages.badRoom(limits.maxRoomNameLength))
        : refuse(socket, ack, 'chat:typing', 'BAD_PAYLOAD', messages.badTyping());
    }
    const { room, typing } = parsed.value;
    const key = chatRoomKey(socket.data.sandboxId, room);
    if (!socket.rooms.has(key)) return refuse(socket, ack, 'chat:typing', 'NOT_IN_ROOM', messages.notInRoom(room));
    if (typing) {
      socket.data.typingIn.add(room);
      // Volatile: a typing notice that cannot be sent right now is stale by the time it could be.
      socket.volatile.to(key).emit('chat:typing', { room, name: socket.data.name, typing: true });
    } else stopTyping(socket, room);
    ack?.({ ok: true, room });
  });
}

/**
 * The second namespace `/admin`: on the same connection, with its own middleware (a name again:
 * every namespace checks its CONNECT by itself). It watches the chat rooms of the socket's sandbox.
 */
export function setUpAdmin(io: WirelabIo, limits: SocketIoLimits, census: RoomCensus): WirelabNamespace {
  const admin = io.of(ADMIN_NAMESPACE);
  admin.use(requireName(limits));

  admin.on('connection', (socket) => {
    socket.join(sandboxRoomKey(socket.data.sandboxId));
    guardEvents(socket, ADMIN_EVENTS, limits);
    socket.on('admin:rooms', async (...raw: unknown[]) => {
      const { ack } = splitAck(raw);
      // Every instance's sockets: a teacher's view of the class, wherever each student landed.
      const reply = { ok: true, rooms: await census.listing(chatRoomKey(socket.data.sandboxId, '')) };
      if (ack) ack(reply);
      else socket.emit('admin:rooms', reply);
    });
  });
  return admin;
}
