import { randomBytes } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';
import type { ChatBus } from '../../domain/index.ts';
import { publicSandboxName } from '../../session/session-id.ts';
import { MessageRate, type ChatMember, type ChatRooms } from './chat-room.ts';
import type { ChatKnobs } from './endpoint-query.ts';
import { Heartbeat } from './heartbeat.ts';
import { CHAT_SUBPROTOCOL, CLOSE, MAX_CHAT_MESSAGES_PER_SECOND, MAX_CHAT_TEXT_CHARS, type WebSocketLimits } from './limits.ts';
import { closeReason, messages } from './messages.ts';
import { bytesOf, sendGuarded } from './send-guarded.ts';

/** A flooding client hears that it is dropped at most this often. */
const RATE_NOTICE_INTERVAL_MS = 1_000;

/**
 * /ws/chat, subprotocol wirelab.chat.v1 (README.md): the client sends chat lines as text frames;
 * the server sends JSON text frames: welcome, joined, left, message, event (a change in the
 * sandbox, from any protocol) and error. One room per sandbox, shown by its public name (never a session's id). Every
 * accepted line also goes to the domain's chat bus (the MQTT broker mirrors it).
 */
export function serveChat(socket: WebSocket, knobs: ChatKnobs, sandbox: string, rooms: ChatRooms, limits: WebSocketLimits, chatBus: ChatBus): void {
  // the rooms are kept by sandbox; clients, the chat bus and MQTT see the public name
  const room = sandbox;
  const roomName = publicSandboxName(sandbox);
  const member: ChatMember = { name: knobs.name ?? `guest-${randomBytes(2).toString('hex')}`, socket };
  // (a module function, not a closure: see sendJson)
  const send = sendJson.bind(null, socket, limits.maxBufferedBytes);
  if (!rooms.join(room, member)) {
    socket.close(CLOSE.tryAgainLater, closeReason(messages.roomFull(limits.maxChatMembers)));
    return;
  }
  const heartbeat = new Heartbeat(socket, knobs.pingMs, null);
  heartbeat.start();
  const rate = new MessageRate(MAX_CHAT_MESSAGES_PER_SECOND);
  let lastRateNotice = -Infinity;

  send({ type: 'welcome', protocol: CHAT_SUBPROTOCOL, room: roomName, you: member.name, members: rooms.names(room) });
  rooms.broadcast(room, { type: 'joined', name: member.name, members: rooms.names(room).length }, member);

  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) {
      // The subprotocol defines text frames only: 1003 is "I cannot accept this kind of data".
      socket.close(CLOSE.unsupportedData, closeReason(messages.binaryInChat()));
      return;
    }
    if (!rate.take()) {
      const now = performance.now();
      if (now - lastRateNotice >= RATE_NOTICE_INTERVAL_MS) {
        lastRateNotice = now;
        send({ type: 'error', code: 'rate-limited', message: messages.chatRateLimited(MAX_CHAT_MESSAGES_PER_SECOND) });
      }
      return;
    }
    const text = bytesOf(data).toString('utf8');
    if (text.trim().length === 0 || [...text].length > MAX_CHAT_TEXT_CHARS) {
      send({ type: 'error', code: 'bad-message', message: messages.badChatText(MAX_CHAT_TEXT_CHARS) });
      return;
    }
    const at = new Date().toISOString();
    rooms.broadcast(room, { type: 'message', from: member.name, text, at });
    chatBus.publish({ sandboxId: sandbox, room: roomName, name: member.name, text, at, via: 'websocket' });
  });

  socket.on('close', () => {
    heartbeat.stop();
    rooms.leave(room, member);
    rooms.broadcast(room, { type: 'left', name: member.name, members: rooms.names(room).length });
  });
}

/**
 * One JSON message to a chat member. Not a named closure per member: under tsx each carries a
 * `name` property dictionary of its own (esbuild's keepNames), and a server holds thousands of idle members.
 */
function sendJson(socket: WebSocket, maxBufferedBytes: number, message: Record<string, unknown>): void {
  sendGuarded(socket, JSON.stringify(message), maxBufferedBytes);
}
