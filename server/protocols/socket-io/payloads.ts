import type { SocketIoLimits } from './limits.ts';

/** Letters and digits of any script (a room may be called «лобби»), spaces and a few marks. */
const ROOM_NAME = /^[\p{L}\p{N}_.-]+(?: [\p{L}\p{N}_.-]+)*$/u;
const CONTROL_CHARACTERS = /\p{Cc}/u;

/** Characters as a reader counts them (code points), not UTF-16 units. */
function lengthOf(text: string): number {
  return [...text].length;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The name from a CONNECT packet's `auth`, trimmed; null when missing, blank, too long or not text. */
export function nameFromAuth(auth: unknown, limits: Pick<SocketIoLimits, 'maxNameLength'>): string | null {
  if (!isRecord(auth) || typeof auth.name !== 'string') return null;
  const name = auth.name.trim();
  if (name === '' || lengthOf(name) > limits.maxNameLength || CONTROL_CHARACTERS.test(name)) return null;
  return name;
}

export function roomFrom(value: unknown, limits: Pick<SocketIoLimits, 'maxRoomNameLength'>): string | null {
  if (typeof value !== 'string' || lengthOf(value) > limits.maxRoomNameLength) return null;
  return ROOM_NAME.test(value) ? value : null;
}

export interface ChatMessageInput {
  room: string;
  text: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: 'room' | 'payload' };

export function chatMessageFrom(value: unknown, limits: Pick<SocketIoLimits, 'maxRoomNameLength' | 'maxMessageLength'>): Parsed<ChatMessageInput> {
  if (!isRecord(value) || typeof value.text !== 'string') return { ok: false, problem: 'payload' };
  const room = roomFrom(value.room, limits);
  if (room === null) return { ok: false, problem: 'room' };
  const length = lengthOf(value.text);
  if (value.text.trim() === '' || length > limits.maxMessageLength) return { ok: false, problem: 'payload' };
  return { ok: true, value: { room, text: value.text } };
}

export interface TypingInput {
  room: string;
  typing: boolean;
}

export function typingFrom(value: unknown, limits: Pick<SocketIoLimits, 'maxRoomNameLength'>): Parsed<TypingInput> {
  if (!isRecord(value) || typeof value.typing !== 'boolean') return { ok: false, problem: 'payload' };
  const room = roomFrom(value.room, limits);
  if (room === null) return { ok: false, problem: 'room' };
  return { ok: true, value: { room, typing: value.typing } };
}
