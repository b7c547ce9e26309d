// What a console's relay says when the connection to the student's server fails: the fact
// (contracts/own-server/relays.ts), never the error's text or a stack trace.
import type { RelayFact } from '../../contracts/own-server/relays.ts';
import { OwnServerRefusal } from './address-guard.ts';
import { CheckStopped, ConnectionLimitError, type Target } from './connection.ts';

type SocketError = Error & { code?: string };

export function addressOf(target: Target): string {
  return target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
}

/**
 * The fact behind an error of the outbound connection; `received`: the bytes it had read.
 * null: the asker went away (nobody to tell).
 */
export function relayFactOf(error: unknown, target: Target, received: number): RelayFact | null {
  if (error instanceof OwnServerRefusal) return error.fact;
  if (!(error instanceof Error)) return { fact: 'closed', bytes: received };
  if (error instanceof CheckStopped) return null;
  if (error instanceof ConnectionLimitError) return { fact: 'too-many-bytes', limit: error.limitBytes };
  const { code } = error as SocketError;
  if (code === 'ECONNREFUSED') return { fact: 'refused', address: addressOf(target) };
  if (code === 'ECONNRESET' || code === 'EPIPE') return { fact: 'reset', bytes: received };
  const noConnect = /^no TCP connection within (\d+) ms$/.exec(error.message);
  if (noConnect) return { fact: 'no-connection', address: addressOf(target), seconds: Number(noConnect[1]) / 1000 };
  // `ws`'s reader: a frame against RFC 6455 (masked from a server, a bad opcode, invalid UTF-8…)
  if (code?.startsWith('WS_ERR_')) return { fact: 'bad-frame', detail: error.message.replace(/^Invalid WebSocket frame: /, '') };
  // `ws`'s client: a 101 it cannot accept (no or wrong Sec-WebSocket-Accept, a subprotocol not offered…)
  if (/Sec-WebSocket|Upgrade header|subprotocol|extension/i.test(error.message)) return { fact: 'bad-handshake', detail: error.message };
  return { fact: 'closed', bytes: received };
}
