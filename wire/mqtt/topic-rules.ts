// MQTT 3.1.1 §4.7: what a topic name (PUBLISH, a will) and a topic filter (SUBSCRIBE,
// UNSUBSCRIBE) may hold, and which topic names a filter matches. One copy of these rules: the
// inspector's decoder (mqtt-rules.ts), the console's checks before sending
// (web/editors/mqtt/topic-rules.ts), and the broker's refusals and delivery rights
// (server/protocols/mqtt/client-packet-rules.ts, broker-access.ts) all ask here and only word
// the answer their own way.

/** A topic is a UTF-8 string with a 2-byte length (§1.5.3). */
export const MAX_TOPIC_BYTES = 65_535;

const HASH = 0x23;
const PLUS = 0x2b;

/** What breaks §4.7.1 in a topic filter; `level` counts from 1. */
export type TopicFilterProblem =
  | { code: 'empty' }
  | { code: 'hash-not-last'; level: number }
  | { code: 'wildcard-inside-level'; char: '+' | '#'; level: number };

/** The first wildcard (`+` or `#`) in a topic name, which may hold none (§4.7.1), else null. */
export function wildcardInTopicName(name: string): '+' | '#' | null {
  const wildcard = /[+#]/.exec(name);
  return wildcard ? (wildcard[0] as '+' | '#') : null;
}

/** What breaks the filter's rules: not empty, `+` fills one whole level, `#` only the whole last level; else null. */
export function topicFilterProblem(filter: string): TopicFilterProblem | null {
  if (filter.length === 0) return { code: 'empty' };
  const levels = filter.split('/');
  for (const [index, level] of levels.entries()) {
    if (level.includes('#')) {
      if (level !== '#') return { code: 'wildcard-inside-level', char: '#', level: index + 1 };
      if (index !== levels.length - 1) return { code: 'hash-not-last', level: index + 1 };
    }
    if (level.includes('+') && level !== '+') return { code: 'wildcard-inside-level', char: '+', level: index + 1 };
  }
  return null;
}

/**
 * Does a topic filter (with `+` and `#`) match a topic name? (§4.7) Level by level, in place:
 * the broker asks for every matching subscription of every QoS 1/2 delivery, so it splits
 * nothing into arrays. The rule that `#` and `+` at the first level skip `$` topics (§4.7.2)
 * is the caller's.
 */
export function topicMatches(filter: string, topic: string): boolean {
  let f = 0;
  let t = 0;
  // f and t are at the start of a level; past the end (length + 1) once every level is used
  while (f <= filter.length) {
    const filterEnd = levelEnd(filter, f);
    if (filterEnd - f === 1 && filter.charCodeAt(f) === HASH) return true;
    if (t > topic.length) return false;
    const topicEnd = levelEnd(topic, t);
    const plus = filterEnd - f === 1 && filter.charCodeAt(f) === PLUS;
    if (!plus && !sameLevel(filter, f, filterEnd, topic, t, topicEnd)) return false;
    f = filterEnd + 1;
    t = topicEnd + 1;
  }
  return t > topic.length;
}

function levelEnd(text: string, start: number): number {
  const slash = text.indexOf('/', start);
  return slash < 0 ? text.length : slash;
}

function sameLevel(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) if (a.charCodeAt(aStart + i) !== b.charCodeAt(bStart + i)) return false;
  return true;
}
