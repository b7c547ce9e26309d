import { useState } from 'react';
import type { MqttClient } from 'mqtt';
import { bilingual, type useConsoleLog } from '../console-kit/console-log.tsx';
import type { FormError, MqttForm } from './mqtt-form.ts';
import { grantedText } from './packet-summary.ts';
import { mqttConsoleStrings } from './strings.ts';
import { checkTopicFilter } from './topic-rules.ts';

const say = bilingual(mqttConsoleStrings);

export type Subscription = { filter: string; granted: string };

/**
 * The console's subscriptions: SUBSCRIBE and UNSUBSCRIBE on the connected client, and the list of
 * filters with the QoS the broker granted (its SUBACK decides, not the form).
 */
export function useMqttSubscriptions(log: ReturnType<typeof useConsoleLog>, connectedClient: () => MqttClient | null) {
  const [subscriptions, setSubscriptions] = useState<Subscription[]>([]);
  const [subscribeError, setSubscribeError] = useState<FormError | null>(null);

  const subscribe = (filter: string, qos: MqttForm['subscribeQos']) => {
    const client = connectedClient();
    if (!client) return setSubscribeError({ kind: 'not-connected' });
    const check = checkTopicFilter(filter);
    if (!check.ok) return setSubscribeError({ kind: 'topic', error: check.error, what: 'filter' });
    setSubscribeError(null);
    log.add({ kind: 'info', text: say((t) => t.subscribing(filter, qos)) });
    client.subscribe(filter, { qos }, (error, granted) => {
      if (error) log.add({ kind: 'error', text: say((t) => t.failed(error.message)) });
      if (error || !granted) return;
      for (const grant of granted) {
        if (grant.qos === 128) log.add({ kind: 'error', text: say((t) => t.subscribeRefused(grant.topic)) });
        else setSubscriptions((list) => [...list.filter((item) => item.filter !== grant.topic), { filter: grant.topic, granted: grantedText(grant.qos) }]);
      }
    });
  };

  const unsubscribe = (filter: string) => {
    const client = connectedClient();
    if (!client) return setSubscribeError({ kind: 'not-connected' });
    const check = checkTopicFilter(filter);
    if (!check.ok) return setSubscribeError({ kind: 'topic', error: check.error, what: 'filter' });
    setSubscribeError(null);
    client.unsubscribe(filter, () => setSubscriptions((list) => list.filter((item) => item.filter !== filter)));
  };

  return { subscriptions, setSubscriptions, subscribeError, subscribe, unsubscribe };
}
