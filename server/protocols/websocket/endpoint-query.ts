import { DEFAULT_PING_INTERVAL_MS, MAX_CHAT_NAME_CHARS, MAX_FRAGMENTS, MAX_PING_INTERVAL_MS, MIN_PING_INTERVAL_MS } from './limits.ts';
import { messages, type Bilingual } from './messages.ts';

/** The knobs of a connection, asked for in the handshake's query string. */
export interface EchoKnobs {
  pingMs: number;
  /** every echo goes back split into this many frames (1: not fragmented) */
  fragments: number;
}

export interface ChatKnobs {
  pingMs: number;
  /** null: the server makes one up */
  name: string | null;
}

export type QueryRead<T> = { ok: true; knobs: T } | { ok: false; message: Bilingual };

export const ECHO_QUERY = ['ping', 'fragments'] as const;
export const CHAT_QUERY = ['ping', 'name'] as const;

const WHOLE_NUMBER = /^\d{1,9}$/;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

export function readEchoQuery(query: URLSearchParams): QueryRead<EchoKnobs> {
  const unknown = unknownParameter(query, ECHO_QUERY);
  if (unknown) return { ok: false, message: unknown };
  const ping = readPing(query);
  if (typeof ping !== 'number') return { ok: false, message: ping };
  const raw = query.get('fragments');
  if (raw === null) return { ok: true, knobs: { pingMs: ping, fragments: 1 } };
  const fragments = WHOLE_NUMBER.test(raw) ? Number(raw) : NaN;
  if (!(fragments >= 1 && fragments <= MAX_FRAGMENTS)) return { ok: false, message: messages.badFragments(raw, MAX_FRAGMENTS) };
  return { ok: true, knobs: { pingMs: ping, fragments } };
}

export function readChatQuery(query: URLSearchParams): QueryRead<ChatKnobs> {
  const unknown = unknownParameter(query, CHAT_QUERY);
  if (unknown) return { ok: false, message: unknown };
  const ping = readPing(query);
  if (typeof ping !== 'number') return { ok: false, message: ping };
  const raw = query.get('name');
  if (raw === null) return { ok: true, knobs: { pingMs: ping, name: null } };
  const name = raw.trim();
  if (name.length === 0 || [...name].length > MAX_CHAT_NAME_CHARS || CONTROL_CHARACTERS.test(name)) {
    return { ok: false, message: messages.badChatName(MAX_CHAT_NAME_CHARS) };
  }
  return { ok: true, knobs: { pingMs: ping, name } };
}

function readPing(query: URLSearchParams): number | Bilingual {
  const raw = query.get('ping');
  if (raw === null) return DEFAULT_PING_INTERVAL_MS;
  const ms = WHOLE_NUMBER.test(raw) ? Number(raw) : NaN;
  if (!(ms >= MIN_PING_INTERVAL_MS && ms <= MAX_PING_INTERVAL_MS)) return messages.badPingInterval(raw, MIN_PING_INTERVAL_MS, MAX_PING_INTERVAL_MS);
  return ms;
}

function unknownParameter(query: URLSearchParams, known: readonly string[]): Bilingual | null {
  for (const name of query.keys()) if (!known.includes(name)) return messages.unknownQuery(name, known);
  return null;
}
