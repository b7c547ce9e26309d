import { isObject, parseCellJson, unknownKeys } from '../console-kit/json-shape.ts';
import type { CellConfigParse } from '../console-kit/cell-config-parse.ts';
import { encodePayload, PAYLOAD_FORMATS, type PayloadFormat } from './payload.ts';
import { checkTopicFilter, checkTopicName } from './topic-rules.ts';

export type Qos = 0 | 1 | 2;

/** The last will: what the broker publishes for a client that vanished without DISCONNECT. */
export interface MqttWill {
  topic: string;
  payload: string;
  qos: Qos;
  retain: boolean;
}

/** `*.mqtt.json` (lessons/README.md): how the console connects, and what its forms start with. */
export interface MqttCellConfig {
  /** empty: mqtt.js makes one up (`mqttjs_…`), allowed only with a clean session */
  clientId: string;
  clean: boolean;
  /** seconds; 0 switches keep-alive off */
  keepAlive: number;
  will: MqttWill | null;
  subscribe: { filter: string; qos: Qos };
  publish: { topic: string; payload: string; format: PayloadFormat; qos: Qos; retain: boolean };
}

/** The broker's WebSocket endpoint (server/protocols/mqtt/README.md). */
export const MQTT_WEBSOCKET_PATH = '/mqtt';
/** MQTT 3.1.1 §3.1.2.10: a 16-bit number of seconds. */
export const MAX_KEEP_ALIVE = 65_535;
/** The client id a 3.1.1 server must accept (§3.1.3.1); ours takes longer ones, lessons stay within. */
export const PORTABLE_CLIENT_ID = /^[0-9a-zA-Z-]{0,23}$/;

export const DEFAULT_MQTT_CELL: MqttCellConfig = {
  clientId: '',
  clean: true,
  keepAlive: 60,
  will: null,
  subscribe: { filter: '#', qos: 0 },
  publish: { topic: 'hello', payload: 'hi', format: 'text', qos: 0, retain: false },
};

const isQos = (value: unknown): value is Qos => value === 0 || value === 1 || value === 2;

export function parseMqttCell(text: string): CellConfigParse<MqttCellConfig> {
  const parsed = parseCellJson(text);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const value = parsed.value;
  if (!isObject(value)) return { ok: false, problems: ['the file must hold a JSON object { clientId?, clean?, keepAlive?, will?, subscribe?, publish? }'] };
  const problems = unknownKeys('the cell', value, ['clientId', 'clean', 'keepAlive', 'will', 'subscribe', 'publish']);
  const config: MqttCellConfig = structuredClone(DEFAULT_MQTT_CELL);

  if (value.clientId !== undefined) {
    if (typeof value.clientId !== 'string' || !PORTABLE_CLIENT_ID.test(value.clientId)) problems.push('clientId must be up to 23 letters, digits or "-"');
    else config.clientId = value.clientId;
  }
  if (value.clean !== undefined) {
    if (typeof value.clean !== 'boolean') problems.push('clean must be true or false');
    else config.clean = value.clean;
  }
  if (!config.clean && config.clientId === '') problems.push('a persistent session (clean: false) needs a clientId: the broker keeps the session under it');
  if (value.keepAlive !== undefined) {
    if (!Number.isInteger(value.keepAlive) || (value.keepAlive as number) < 0 || (value.keepAlive as number) > MAX_KEEP_ALIVE)
      problems.push(`keepAlive must be whole seconds from 0 to ${MAX_KEEP_ALIVE}`);
    else config.keepAlive = value.keepAlive as number;
  }
  if (value.will !== undefined) {
    const will = value.will;
    if (!isObject(will)) problems.push('will must be { topic, payload, qos?, retain? }');
    else {
      problems.push(...unknownKeys('will', will, ['topic', 'payload', 'qos', 'retain']));
      const topic = typeof will.topic === 'string' ? checkTopicName(will.topic) : null;
      if (!topic?.ok) problems.push(`will.topic must be a topic name without wildcards${topic && !topic.ok ? ` (${topic.error.code})` : ''}`);
      if (typeof will.payload !== 'string') problems.push('will.payload must be a string');
      if (will.qos !== undefined && !isQos(will.qos)) problems.push('will.qos must be 0, 1 or 2');
      if (will.retain !== undefined && typeof will.retain !== 'boolean') problems.push('will.retain must be true or false');
      config.will = { topic: String(will.topic), payload: String(will.payload), qos: isQos(will.qos) ? will.qos : 0, retain: will.retain === true };
    }
  }
  if (value.subscribe !== undefined) {
    const subscribe = value.subscribe;
    if (!isObject(subscribe)) problems.push('subscribe must be { filter, qos? }');
    else {
      problems.push(...unknownKeys('subscribe', subscribe, ['filter', 'qos']));
      const filter = typeof subscribe.filter === 'string' ? checkTopicFilter(subscribe.filter) : null;
      if (!filter?.ok) problems.push(`subscribe.filter must be a topic filter${filter && !filter.ok ? ` (${filter.error.code})` : ''}`);
      if (subscribe.qos !== undefined && !isQos(subscribe.qos)) problems.push('subscribe.qos must be 0, 1 or 2');
      config.subscribe = { filter: String(subscribe.filter), qos: isQos(subscribe.qos) ? subscribe.qos : 0 };
    }
  }
  if (value.publish !== undefined) {
    const publish = value.publish;
    if (!isObject(publish)) problems.push('publish must be { topic, payload, format?, qos?, retain? }');
    else {
      problems.push(...unknownKeys('publish', publish, ['topic', 'payload', 'format', 'qos', 'retain']));
      const topic = typeof publish.topic === 'string' ? checkTopicName(publish.topic) : null;
      if (!topic?.ok) problems.push(`publish.topic must be a topic name without wildcards${topic && !topic.ok ? ` (${topic.error.code})` : ''}`);
      const format = publish.format ?? 'text';
      if (!PAYLOAD_FORMATS.includes(format as PayloadFormat)) problems.push(`publish.format must be ${PAYLOAD_FORMATS.join(', ')}`);
      if (typeof publish.payload !== 'string') problems.push('publish.payload must be a string');
      else if (PAYLOAD_FORMATS.includes(format as PayloadFormat)) {
        const encoded = encodePayload(publish.payload, format as PayloadFormat);
        if (!encoded.ok) problems.push(`publish.payload is not ${format}`);
      }
      if (publish.qos !== undefined && !isQos(publish.qos)) problems.push('publish.qos must be 0, 1 or 2');
      if (publish.retain !== undefined && typeof publish.retain !== 'boolean') problems.push('publish.retain must be true or false');
      config.publish = {
        topic: String(publish.topic),
        payload: String(publish.payload),
        format: format as PayloadFormat,
        qos: isQos(publish.qos) ? publish.qos : 0,
        retain: publish.retain === true,
      };
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config };
}
