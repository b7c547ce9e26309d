// What MQTT 3.1.1 asks of the strings, topic names and topic filters in a packet, as the error
// codes of mqtt-error-text.ts. Pure: the decoder flags, it never refuses. The topic rules
// themselves are in topic-rules.ts.

import { topicFilterProblem, wildcardInTopicName } from './topic-rules.ts';

/** A decoded UTF-8 string field (§1.5.3): U+0000 is not allowed (invalid UTF-8 never decodes). */
export function stringError(text: string): string | undefined {
  return text.includes('\u0000') ? 'mqtt-null-character' : undefined;
}

/** A topic name (PUBLISH, a will): not empty, no wildcard. */
export function topicNameError(text: string): string | undefined {
  if (text.length === 0) return 'mqtt-empty-topic';
  if (wildcardInTopicName(text)) return 'mqtt-topic-wildcard';
  return stringError(text);
}

/** A topic filter: not empty, `#` only as the whole last level, `+` only as a whole level. */
export function topicFilterError(text: string): string | undefined {
  const problem = topicFilterProblem(text);
  if (problem?.code === 'empty') return 'mqtt-empty-topic';
  if (problem) return problem.code === 'wildcard-inside-level' && problem.char === '+' ? 'mqtt-filter-single-level' : 'mqtt-filter-multi-level';
  return stringError(text);
}
