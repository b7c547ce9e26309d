// What MQTT 3.1.1 allows in a topic name (what PUBLISH and a will carry) and in a topic filter
// (what SUBSCRIBE and UNSUBSCRIBE carry), §4.7. The console checks before sending: a broker
// answers a bad filter with SUBACK 0x80 or closes the connection, and mqtt.js throws on some
// of them, so the student gets the reason in words instead. The rules themselves are MQTT's,
// in wire/mqtt/topic-rules.ts; this adds what this console refuses beyond them (`$` topics).

import { MAX_TOPIC_BYTES, topicFilterProblem, wildcardInTopicName } from '../../../wire/mqtt/topic-rules.ts';

export type TopicError =
  | { code: 'empty' }
  | { code: 'too-long'; bytes: number }
  | { code: 'null-character' }
  | { code: 'wildcard-in-name'; char: '+' | '#' }
  | { code: 'hash-not-last'; level: number }
  | { code: 'wildcard-inside-level'; char: '+' | '#'; level: number }
  | { code: 'reserved' };

export type TopicCheck = { ok: true } | { ok: false; error: TopicError };

function commonProblem(topic: string): TopicError | null {
  if (topic.length === 0) return { code: 'empty' };
  if (topic.includes('\u0000')) return { code: 'null-character' };
  const bytes = new TextEncoder().encode(topic).length;
  if (bytes > MAX_TOPIC_BYTES) return { code: 'too-long', bytes };
  // Topics starting with $ belong to the broker (§4.7.2); this one refuses them to clients.
  if (topic.startsWith('$')) return { code: 'reserved' };
  return null;
}

/** A topic name to publish to: no wildcards at all. */
export function checkTopicName(topic: string): TopicCheck {
  const problem = commonProblem(topic);
  if (problem) return { ok: false, error: problem };
  const wildcard = wildcardInTopicName(topic);
  if (wildcard) return { ok: false, error: { code: 'wildcard-in-name', char: wildcard } };
  return { ok: true };
}

/** A topic filter to subscribe with: `+` fills one whole level, `#` only the whole last level. */
export function checkTopicFilter(filter: string): TopicCheck {
  const problem = commonProblem(filter);
  if (problem) return { ok: false, error: problem };
  const broken = topicFilterProblem(filter);
  return broken ? { ok: false, error: broken } : { ok: true };
}
