import { MAX_CLOSE_REASON_BYTES, MAX_CONTROL_PAYLOAD_BYTES, MAX_FRAGMENTS, MAX_PING_INTERVAL_MS, MIN_PING_INTERVAL_MS } from './limits.ts';
import { messages, type Bilingual } from './messages.ts';

/** What a student can ask /ws/echo to do instead of echoing (README.md, "Control messages"). */
export type EchoCommand =
  | { command: 'help' }
  | { command: 'fragment'; payload: Buffer; binary: boolean; frames: number; pingBetween: boolean }
  | { command: 'ping'; payload: Buffer }
  | { command: 'ping-interval'; ms: number }
  | { command: 'close'; code: number; reason: string }
  | { command: 'drop' };

export const ECHO_COMMANDS = ['help', 'fragment', 'ping', 'ping-interval', 'close', 'drop'] as const;

export type EchoMessage = { kind: 'echo' } | { kind: 'command'; command: EchoCommand } | { kind: 'error'; code: EchoErrorCode; message: Bilingual };
export type EchoErrorCode = 'bad-json' | 'unknown-command' | 'bad-field';

// Only a text that starts like a control message is one: any other text, JSON included, is echoed.
const LOOKS_LIKE_COMMAND = /^\s*\{\s*"wirelab"\s*:/;

class CommandError extends Error {
  constructor(
    readonly code: EchoErrorCode,
    readonly text: Bilingual,
  ) {
    super(text.en);
  }
}

/** Reads one text message of /ws/echo: a control message, a broken one, or text to echo. */
export function readEchoMessage(text: string): EchoMessage {
  if (!LOOKS_LIKE_COMMAND.test(text)) return { kind: 'echo' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { kind: 'error', code: 'bad-json', message: messages.badCommandJson((error as Error).message) };
  }
  try {
    return { kind: 'command', command: commandOf(parsed as Record<string, unknown>) };
  } catch (error) {
    if (error instanceof CommandError) return { kind: 'error', code: error.code, message: error.text };
    throw error;
  }
}

function commandOf(record: Record<string, unknown>): EchoCommand {
  const name = record.wirelab;
  switch (name) {
    case 'help':
      onlyFields(record, []);
      return { command: 'help' };
    case 'fragment': {
      onlyFields(record, ['text', 'hex', 'frames', 'pingBetween']);
      const hasText = record.text !== undefined;
      if (hasText === (record.hex !== undefined)) throw new CommandError('bad-field', messages.textOrHex());
      const payload = hasText ? Buffer.from(stringField(record, 'text'), 'utf8') : hexField(record, 'hex');
      const frames = integerField(record, 'frames', 1, MAX_FRAGMENTS, 2);
      if (payload.length < frames) throw new CommandError('bad-field', messages.tooFewBytes(frames, payload.length));
      const pingBetween = record.pingBetween === undefined ? false : booleanField(record, 'pingBetween');
      return { command: 'fragment', payload, binary: !hasText, frames, pingBetween };
    }
    case 'ping': {
      onlyFields(record, ['payload']);
      const payload = Buffer.from(record.payload === undefined ? 'wirelab' : stringField(record, 'payload'), 'utf8');
      if (payload.length > MAX_CONTROL_PAYLOAD_BYTES) {
        throw new CommandError(
          'bad-field',
          messages.badField('payload', {
            en: `at most ${MAX_CONTROL_PAYLOAD_BYTES} bytes of UTF-8`,
            ru: `не длиннее ${MAX_CONTROL_PAYLOAD_BYTES} байт в UTF-8`,
          }),
        );
      }
      return { command: 'ping', payload };
    }
    case 'ping-interval':
      onlyFields(record, ['ms']);
      return { command: 'ping-interval', ms: integerField(record, 'ms', MIN_PING_INTERVAL_MS, MAX_PING_INTERVAL_MS) };
    case 'close': {
      onlyFields(record, ['code', 'reason']);
      const code = integerField(record, 'code', 1000, 4999, 1000);
      if (!isSendableCloseCode(code)) throw new CommandError('bad-field', messages.closeCodeNotSendable(code));
      const reason = record.reason === undefined ? '' : stringField(record, 'reason');
      if (Buffer.byteLength(reason) > MAX_CLOSE_REASON_BYTES) {
        throw new CommandError(
          'bad-field',
          messages.badField('reason', { en: `at most ${MAX_CLOSE_REASON_BYTES} bytes of UTF-8`, ru: `не длиннее ${MAX_CLOSE_REASON_BYTES} байт в UTF-8` }),
        );
      }
      return { command: 'close', code, reason };
    }
    case 'drop':
      onlyFields(record, []);
      return { command: 'drop' };
    default:
      throw new CommandError('unknown-command', messages.unknownCommand(String(name), ECHO_COMMANDS));
  }
}

/** RFC 6455 §7.4: the codes an endpoint may put in a close frame. */
export function isSendableCloseCode(code: number): boolean {
  return Number.isInteger(code) && ((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999));
}

function onlyFields(record: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(record).filter((key) => key !== 'wirelab' && !allowed.includes(key));
  if (unknown.length > 0) throw new CommandError('bad-field', messages.unknownFields(unknown, allowed));
}

function stringField(record: Record<string, unknown>, field: string): string {
  const value = record[field];
  if (typeof value !== 'string') throw new CommandError('bad-field', messages.badField(field, { en: 'a string', ru: 'строкой' }));
  return value;
}

function booleanField(record: Record<string, unknown>, field: string): boolean {
  const value = record[field];
  if (typeof value !== 'boolean') throw new CommandError('bad-field', messages.badField(field, { en: 'true or false', ru: 'true или false' }));
  return value;
}

function integerField(record: Record<string, unknown>, field: string, min: number, max: number, fallback?: number): number {
  const value = record[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new CommandError('bad-field', messages.badField(field, { en: `a whole number from ${min} to ${max}`, ru: `целым числом от ${min} до ${max}` }));
  }
  return value;
}

function hexField(record: Record<string, unknown>, field: string): Buffer {
  const bytes = parseHexBytes(stringField(record, field));
  if (!bytes)
    throw new CommandError(
      'bad-field',
      messages.badField(field, { en: 'bytes in hex, such as "01 02 ff"', ru: 'байтами в шестнадцатеричной записи, например "01 02 ff"' }),
    );
  return bytes;
}

/** "01 02 ff", "0102FF", "01:02:ff" → bytes; null when it is not whole bytes in hex. */
export function parseHexBytes(text: string): Buffer | null {
  const digits = text.replace(/[\s:]/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) return null;
  return Buffer.from(digits, 'hex');
}

/**
 * Splits a message into `frames` pieces as even as possible (the first ones get the remainder),
 * never empty; an empty message stays one empty frame. A text may be cut inside a UTF-8
 * character: only the whole message has to be valid UTF-8 (RFC 6455 §5.6).
 */
export function splitIntoFragments(payload: Buffer, frames: number): Buffer[] {
  const count = Math.max(1, Math.min(frames, payload.length));
  const base = Math.floor(payload.length / count);
  const extra = payload.length % count;
  const pieces: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const size = base + (i < extra ? 1 : 0);
    pieces.push(payload.subarray(offset, offset + size));
    offset += size;
  }
  return pieces;
}
