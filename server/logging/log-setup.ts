import { formatLogRecord, type FormatOptions } from './terminal-format.ts';

// How the server logs, chosen once in main.ts from the environment and the kind of stdout:
// readable lines on a terminal (a teacher runs `npm start` and reads it), JSON lines everywhere
// else (a service manager, a container, a file, a log collector).

export type LogFormat = 'text' | 'json';

export interface LogSettings {
  format: LogFormat;
  /** pino's "incoming request" / "request completed" pair for every request */
  requests: boolean;
  level: string;
}

type LogEnvironment = Readonly<Record<string, string | undefined>>;

/** What pino writes to: one serialized record (a JSON line) per call. */
export interface LogDestination {
  write(line: string): void;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function onOrOff(variable: string, raw: string): boolean {
  if (raw === 'on') return true;
  if (raw === 'off') return false;
  throw new Error(`${variable} must be "on" or "off", not "${raw}"`);
}

/**
 * LOG_FORMAT=text|json (default: text when stdout is a terminal, else json); LOG_REQUESTS=on|off
 * (default: off in text, where one line per request would bury everything else; on in json, as
 * before); LOG_LEVEL as pino names them. Anything else refuses to start.
 */
export function logSettingsFrom(env: LogEnvironment, stdoutIsTerminal: boolean): LogSettings {
  const format = env.LOG_FORMAT || (stdoutIsTerminal ? 'text' : 'json');
  if (format !== 'text' && format !== 'json') throw new Error(`LOG_FORMAT must be "text" or "json", not "${format}"`);
  const level = env.LOG_LEVEL || 'info';
  if (!LEVELS.includes(level)) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, not "${level}"`);
  const requests = env.LOG_REQUESTS ? onOrOff('LOG_REQUESTS', env.LOG_REQUESTS) : format === 'json';
  return { format, requests, level };
}

/**
 * A pino destination that writes each record as one readable line: pino still serializes the
 * record (its redaction and serializers apply), this stream only reshapes the JSON it is given.
 */
export function textDestination(out: { write(text: string): unknown }, options: FormatOptions): LogDestination {
  return {
    write(line: string): void {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      out.write(formatLogRecord(record, options));
    },
  };
}

/** Fastify's `logger` option for these settings, writing to `out` (process.stdout in main.ts). */
export function loggerOptions(
  settings: LogSettings,
  out: { write(text: string): unknown; isTTY?: boolean },
  env: LogEnvironment,
): { level: string; stream?: LogDestination } {
  if (settings.format === 'json') return { level: settings.level };
  const color = Boolean(out.isTTY) && !env.NO_COLOR;
  const stacks = settings.level === 'debug' || settings.level === 'trace';
  return { level: settings.level, stream: textDestination(out, { color, stacks }) };
}
