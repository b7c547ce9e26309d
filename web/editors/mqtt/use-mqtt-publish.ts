import { useState } from 'react';
import type { MqttClient } from 'mqtt';
import type { FormError, MqttForm } from './mqtt-form.ts';
import { encodePayload } from './payload.ts';
import { checkTopicName } from './topic-rules.ts';

/** The console's PUBLISH: checks the topic name and the payload as typed, then hands them to mqtt.js. */
export function useMqttPublish(connectedClient: () => MqttClient | null) {
  const [publishError, setPublishError] = useState<FormError | null>(null);

  const publish = (form: MqttForm) => {
    const client = connectedClient();
    if (!client) return setPublishError({ kind: 'not-connected' });
    const topic = checkTopicName(form.topic);
    if (!topic.ok) return setPublishError({ kind: 'topic', error: topic.error, what: 'name' });
    const payload = encodePayload(form.payload, form.format);
    if (!payload.ok) return setPublishError({ kind: 'payload', error: payload.error, text: form.payload });
    setPublishError(null);
    // text and JSON go as the string (mqtt.js writes it as UTF-8); hex as the bytes themselves
    // (mqtt-packet measures and writes any Uint8Array, its Buffer type notwithstanding)
    // biome-ignore lint/style/noRestrictedGlobals: only a type: mqtt.js declares the payload as Node's Buffer
    const message = form.format === 'hex' ? (payload.bytes as unknown as Buffer) : form.payload;
    client.publish(form.topic, message, { qos: form.publishQos, retain: form.retain });
  };

  return { publishError, publish };
}
