import { isObject, parseCellJson, unknownKeys } from '../console-kit/json-shape.ts';
import type { CellConfigParse } from '../console-kit/cell-config-parse.ts';

export const SOCKET_IO_TRANSPORTS = ['polling', 'websocket'] as const;
export type SocketIoTransport = (typeof SOCKET_IO_TRANSPORTS)[number];

/** One-click emit: the event, its arguments, and whether to ask for an acknowledgement. */
export interface SocketIoPreset {
  event: string;
  args: unknown[];
  ack: boolean;
}

/** `*.sio.json` (lessons/README.md). */
export interface SocketIoCellConfig {
  namespace: string;
  auth: Record<string, unknown>;
  transports: SocketIoTransport[];
  presets: SocketIoPreset[];
}

/** Socket.IO reserves these: emitting them from a client throws. */
export const RESERVED_EVENTS = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'];

export function namespaceProblem(value: unknown): string | null {
  if (typeof value !== 'string' || !/^\/[^\s,?#]*$/.test(value))
    return 'a namespace starts with "/" and has no spaces, commas, "?" or "#" (e.g. "/" or "/admin")';
  return null;
}

export function eventNameProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return 'an event name is a non-empty string';
  if (RESERVED_EVENTS.includes(value)) return `"${value}" is reserved by Socket.IO`;
  return null;
}

/** What the student edits in the console, kept across reloads; the lesson's cell gives its start. */
export interface SocketIoDraft {
  namespace: string;
  authText: string;
  transports: SocketIoTransport[];
  event: string;
  argsText: string;
  withAck: boolean;
}

export function socketIoDraftOf(config: SocketIoCellConfig): SocketIoDraft {
  const first = config.presets[0];
  return {
    namespace: config.namespace,
    authText: JSON.stringify(config.auth),
    transports: config.transports,
    event: first?.event ?? '',
    argsText: first ? JSON.stringify(first.args) : '[]',
    withAck: first?.ack ?? false,
  };
}

export function parseSocketIoCell(text: string): CellConfigParse<SocketIoCellConfig> {
  const parsed = parseCellJson(text);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const value = parsed.value;
  if (!isObject(value)) return { ok: false, problems: ['the file must hold a JSON object { namespace, auth, transports, presets }'] };
  const problems = unknownKeys('the cell', value, ['namespace', 'auth', 'transports', 'presets']);
  const namespace = value.namespace ?? '/';
  const nsProblem = namespaceProblem(namespace);
  if (nsProblem) problems.push(`namespace: ${nsProblem}`);
  const auth = value.auth ?? {};
  if (!isObject(auth)) problems.push('auth must be a JSON object (it is sent in the CONNECT packet)');

  const transports: SocketIoTransport[] = [];
  const listed = value.transports ?? ['polling', 'websocket'];
  if (!Array.isArray(listed) || listed.length === 0) problems.push('transports must list "polling" and/or "websocket"');
  else
    listed.forEach((transport, index) => {
      if (!(SOCKET_IO_TRANSPORTS as readonly unknown[]).includes(transport)) problems.push(`transports.${index} must be "polling" or "websocket"`);
      else if (transports.includes(transport as SocketIoTransport)) problems.push(`transports.${index} "${String(transport)}" is listed twice`);
      else transports.push(transport as SocketIoTransport);
    });

  const presets: SocketIoPreset[] = [];
  if (value.presets !== undefined) {
    if (!Array.isArray(value.presets)) problems.push('presets must be a list of { event, args, ack }');
    else
      value.presets.forEach((preset, index) => {
        const where = `presets.${index}`;
        if (!isObject(preset)) return problems.push(`${where} must be { "event": …, "args": […], "ack": true|false }`);
        problems.push(...unknownKeys(where, preset, ['event', 'args', 'ack']));
        const eventProblem = eventNameProblem(preset.event);
        if (eventProblem) problems.push(`${where}.event: ${eventProblem}`);
        const args = preset.args ?? [];
        if (!Array.isArray(args)) problems.push(`${where}.args must be a list of JSON values`);
        const ack = preset.ack ?? false;
        if (typeof ack !== 'boolean') problems.push(`${where}.ack must be true or false`);
        if (!eventProblem && Array.isArray(args) && typeof ack === 'boolean') presets.push({ event: preset.event as string, args, ack });
      });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config: { namespace: namespace as string, auth: auth as Record<string, unknown>, transports, presets } };
}
