import { describe, expect, it } from 'vitest';
import { topicFilterProblem, topicMatches, wildcardInTopicName } from './topic-rules.ts';

describe('topic names and filters (MQTT 3.1.1 §4.7)', () => {
  it('finds a wildcard in a topic name', () => {
    expect(wildcardInTopicName('sensors/kitchen/temp')).toBeNull();
    expect(wildcardInTopicName('sensors/+/temp')).toBe('+');
    expect(wildcardInTopicName('sensors/#')).toBe('#');
  });

  it('says what breaks a topic filter, and where', () => {
    for (const good of ['#', '+', 'a/#', '+/+', 'a/+/b', '/', 'a//b', '$SYS/#']) expect(topicFilterProblem(good), good).toBeNull();
    expect(topicFilterProblem('')).toEqual({ code: 'empty' });
    expect(topicFilterProblem('a/#/b')).toEqual({ code: 'hash-not-last', level: 2 });
    expect(topicFilterProblem('a#')).toEqual({ code: 'wildcard-inside-level', char: '#', level: 1 });
    expect(topicFilterProblem('a/b+/c')).toEqual({ code: 'wildcard-inside-level', char: '+', level: 2 });
  });

  it('matches topic filters as MQTT does', () => {
    expect(topicMatches('a/#', 'a')).toBe(true);
    expect(topicMatches('a/#', 'a/b/c')).toBe(true);
    expect(topicMatches('a/+', 'a/b')).toBe(true);
    expect(topicMatches('a/+', 'a/b/c')).toBe(false);
    expect(topicMatches('a/+/c', 'a/b/c')).toBe(true);
    expect(topicMatches('a/b', 'a/b')).toBe(true);
    expect(topicMatches('a/b', 'a/b/c')).toBe(false);
    expect(topicMatches('a/b/c', 'a/b')).toBe(false);
    expect(topicMatches('+', '')).toBe(true);
  });

  it('matches every filter and topic as the level-by-level rule of §4.7 says (empty levels too)', () => {
    // The rule spelled out on split levels, against the in-place matcher, over every filter and
    // topic of up to three levels made of these words.
    const byLevels = (filter: string, topic: string): boolean => {
      const filterLevels = filter.split('/');
      const topicLevels = topic.split('/');
      for (let i = 0; i < filterLevels.length; i++) {
        if (filterLevels[i] === '#') return true;
        if (i >= topicLevels.length) return false;
        if (filterLevels[i] !== '+' && filterLevels[i] !== topicLevels[i]) return false;
      }
      return filterLevels.length === topicLevels.length;
    };
    const words = ['', 'a', 'ab', 'b'];
    const upToThreeLevels = (levelWords: string[]): string[] => {
      const one = levelWords;
      const two = one.flatMap((x) => levelWords.map((y) => `${x}/${y}`));
      const three = two.flatMap((x) => levelWords.map((y) => `${x}/${y}`));
      return [...one, ...two, ...three];
    };
    const topics = upToThreeLevels(words);
    const filters = upToThreeLevels([...words, '+', '#']);
    let matches = 0;
    for (const filter of filters) {
      for (const topic of topics) {
        const expected = byLevels(filter, topic);
        if (topicMatches(filter, topic) !== expected)
          throw new Error(`topicMatches(${JSON.stringify(filter)}, ${JSON.stringify(topic)}) should be ${expected}`);
        if (expected) matches += 1;
      }
    }
    // both answers occur many times: the comparison above is not all "false"
    expect(matches).toBeGreaterThan(1000);
    expect(filters.length * topics.length - matches).toBeGreaterThan(1000);
  });
});
