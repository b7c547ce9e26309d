// One pino record as one line a person reads: the time, the level when it is not plain
// information, the message, then the record's own details as key=value. pino's bookkeeping
// (pid, hostname, the numeric level and time) is left out; a request's id is kept, short, so the
// two lines of one request can be paired.

export interface FormatOptions {
  /** ANSI colours (a terminal, and NO_COLOR unset) */
  color: boolean;
  /** an error's stack under its line (LOG_LEVEL=debug or trace) */
  stacks: boolean;
}

// SGR colour codes; util.styleText would also decide by itself whether stdout takes colour,
// which log-setup.ts already decided.
const COLOURS = { red: 31, yellow: 33, gray: 90 } as const;

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const BOOKKEEPING = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'err', 'error', 'req', 'res', 'responseTime', 'v']);

function clock(time: unknown): string {
  const date = typeof time === 'number' ? new Date(time) : new Date();
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
}

function detail(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value) ?? String(value);
}

interface SerializedError {
  message?: string;
  type?: string;
  stack?: string;
}

function errorOf(record: Record<string, unknown>): SerializedError | null {
  const err = (record.err ?? record.error) as unknown;
  return err && typeof err === 'object' ? (err as SerializedError) : null;
}

/** The message: pino's own, or what a request record says (its method and URL, or its status and time). */
function messageOf(record: Record<string, unknown>, error: SerializedError | null): string {
  const req = record.req as { method?: string; url?: string } | undefined;
  const res = record.res as { statusCode?: number } | undefined;
  if (req?.method) return `→ ${req.method} ${req.url ?? ''}`;
  if (res?.statusCode !== undefined) {
    const ms = typeof record.responseTime === 'number' ? ` in ${Math.round(record.responseTime)} ms` : '';
    return `← ${res.statusCode}${ms}`;
  }
  const message = typeof record.msg === 'string' ? record.msg : '';
  if (!error?.message || message.includes(error.message)) return message || error?.type || '';
  return message ? `${message}: ${error.message}` : error.message;
}

export function formatLogRecord(record: Record<string, unknown>, options: FormatOptions): string {
  const levelNumber = typeof record.level === 'number' ? record.level : 30;
  const level = LEVEL_NAMES[levelNumber] ?? String(record.level);
  const error = errorOf(record);
  const details = Object.entries(record)
    .filter(([key, value]) => !BOOKKEEPING.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${detail(value)}`);
  if (typeof record.reqId === 'string' || typeof record.reqId === 'number') details.unshift(`#${record.reqId}`);
  const style = (colour: keyof typeof COLOURS, text: string) => (options.color ? `\u001b[${COLOURS[colour]}m${text}\u001b[39m` : text);
  const levelTag =
    levelNumber >= 50
      ? style('red', `${level.toUpperCase()} `)
      : levelNumber >= 40
        ? style('yellow', `${level.toUpperCase()} `)
        : levelNumber < 30
          ? style('gray', `${level} `)
          : '';
  const line = `${style('gray', clock(record.time))} ${levelTag}${messageOf(record, error)}${details.length > 0 ? style('gray', `  ${details.join(' ')}`) : ''}`;
  const stack = options.stacks && error?.stack ? `\n${error.stack.replace(/^/gm, '    ')}` : '';
  return `${line}${stack}\n`;
}
