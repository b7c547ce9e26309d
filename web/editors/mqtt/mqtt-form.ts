import { mqttSpecOf } from '../as-code/cell-spec.ts';
import type { MqttSpec } from '../as-code/spec.ts';
import { MAX_KEEP_ALIVE, type MqttCellConfig, type Qos } from './mqtt-cell-config.ts';
import { encodePayload, type PayloadError, type PayloadFormat } from './payload.ts';
import { checkTopicFilter, checkTopicName, type TopicError } from './topic-rules.ts';

/** What the student edits; kept across reloads (saved-cell-state.ts) until Reset. */
export interface MqttForm {
  clientId: string;
  clean: boolean;
  keepAlive: string;
  willOn: boolean;
  willTopic: string;
  willPayload: string;
  willQos: Qos;
  willRetain: boolean;
  filter: string;
  subscribeQos: Qos;
  topic: string;
  payload: string;
  format: PayloadFormat;
  publishQos: Qos;
  retain: boolean;
}

/** The form as "As code" writes it; null when Connect or Publish would refuse it. */
export function specOfForm(form: MqttForm): MqttSpec | null {
  const connect = checkConnectForm(form);
  if (!connect.ok) return null;
  const keepAlive = connect.keepAlive;
  if (!checkTopicFilter(form.filter).ok || !checkTopicName(form.topic).ok) return null;
  if (!encodePayload(form.payload, form.format).ok) return null;
  return mqttSpecOf({
    clientId: form.clientId.trim(),
    clean: form.clean,
    keepAlive,
    will: form.willOn ? { topic: form.willTopic, payload: form.willPayload, qos: form.willQos, retain: form.willRetain } : null,
    subscribe: { filter: form.filter, qos: form.subscribeQos },
    publish: { topic: form.topic, payload: form.payload, format: form.format, qos: form.publishQos, retain: form.retain },
  });
}

export function formOf(config: MqttCellConfig): MqttForm {
  return {
    clientId: config.clientId,
    clean: config.clean,
    keepAlive: String(config.keepAlive),
    willOn: config.will !== null,
    willTopic: config.will?.topic ?? 'status/me',
    willPayload: config.will?.payload ?? 'offline',
    willQos: config.will?.qos ?? 0,
    willRetain: config.will?.retain ?? false,
    filter: config.subscribe.filter,
    subscribeQos: config.subscribe.qos,
    topic: config.publish.topic,
    payload: config.publish.payload,
    format: config.publish.format,
    publishQos: config.publish.qos,
    retain: config.publish.retain,
  };
}

/** Why Connect, Subscribe or Publish refused what the form says (the console explains it before sending). */
export type FormError =
  | { kind: 'not-connected' }
  | { kind: 'keep-alive' }
  | { kind: 'client-id' }
  | { kind: 'topic'; error: TopicError; what: 'name' | 'filter' }
  | { kind: 'payload'; error: PayloadError; text: string };

/** The keep-alive in seconds when the form's is one a broker takes, else the refusal. */
export function checkConnectForm(form: MqttForm): { ok: true; keepAlive: number } | { ok: false; error: FormError } {
  const keepAlive = Number(form.keepAlive);
  if (!/^\d+$/.test(form.keepAlive.trim()) || keepAlive > MAX_KEEP_ALIVE) return { ok: false, error: { kind: 'keep-alive' } };
  if (!form.clean && form.clientId.trim() === '') return { ok: false, error: { kind: 'client-id' } };
  if (form.willOn) {
    const willTopic = checkTopicName(form.willTopic);
    if (!willTopic.ok) return { ok: false, error: { kind: 'topic', error: willTopic.error, what: 'name' } };
  }
  return { ok: true, keepAlive };
}
