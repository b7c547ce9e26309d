import { describe, expect, it } from 'vitest';
import {
  ClientTopicOfDelivery,
  chatTopic,
  domainEventTopic,
  isReservedBrokerTopic,
  namespaceInbound,
  toBrokerClientId,
  toBrokerTopic,
  toClientTopic,
  topicLevelOf,
  topicMatches,
} from './topics.ts';

describe('sandbox namespaces', () => {
  it('maps a client topic into its sandbox and back', () => {
    expect(toBrokerTopic('shared', 'chat/x')).toBe('$sandbox/shared/chat/x');
    expect(toClientTopic('shared', '$sandbox/shared/chat/x')).toBe('chat/x');
    expect(toBrokerTopic('a', '#')).toBe('$sandbox/a/#');
  });

  it("never gives a client another sandbox's topic, and strips only once", () => {
    expect(toClientTopic('a', '$sandbox/b/chat/x')).toBeUndefined();
    expect(toClientTopic('a', '$sandbox/ab/chat/x')).toBeUndefined();
    expect(toClientTopic('a', '$SYS/broker/heartbeat')).toBeUndefined();
    // A packet stored after it was stripped (an offline session's message being resent).
    expect(toClientTopic('a', 'chat/x')).toBe('chat/x');
  });

  it('leaves an empty topic empty, so the broker refuses it as MQTT says', () => {
    expect(toBrokerTopic('a', '')).toBe('');
    expect(toBrokerClientId('a', '')).toBe('');
    expect(toBrokerClientId('a', 'worker')).toBe('a/worker');
  });

  it('reserves $ topics for the broker', () => {
    expect(isReservedBrokerTopic('a', '$sandbox/a/$SYS/x')).toBe(true);
    expect(isReservedBrokerTopic('a', '$sandbox/b/x')).toBe(true);
    expect(isReservedBrokerTopic('a', '$sandbox/a/x')).toBe(false);
  });

  it('rewrites every topic and the client id of inbound packets', () => {
    const connect = { cmd: 'connect', clientId: 'w', will: { topic: 'status/w' } };
    namespaceInbound(connect, 's1');
    expect(connect).toEqual({ cmd: 'connect', clientId: 's1/w', will: { topic: '$sandbox/s1/status/w' } });
    const publish = { cmd: 'publish', topic: 'a/b' };
    namespaceInbound(publish, 's1');
    expect(publish.topic).toBe('$sandbox/s1/a/b');
    const subscribe = { cmd: 'subscribe', subscriptions: [{ topic: '#' }, { topic: 'a/+' }] };
    namespaceInbound(subscribe, 's1');
    expect(subscribe.subscriptions.map((s) => s.topic)).toEqual(['$sandbox/s1/#', '$sandbox/s1/a/+']);
    const unsubscribe = { cmd: 'unsubscribe', unsubscriptions: ['#'] };
    namespaceInbound(unsubscribe, 's1');
    expect(unsubscribe.unsubscriptions).toEqual(['$sandbox/s1/#']);
    const ping = { cmd: 'pingreq' };
    namespaceInbound(ping, 's1');
    expect(ping).toEqual({ cmd: 'pingreq' });
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

  it("strips a delivery's topic as toClientTopic does, whichever sandbox and topic came before", () => {
    const ofDelivery = new ClientTopicOfDelivery();
    const asked: Array<[string, string]> = [
      ['a', '$sandbox/a/chat/x'],
      ['a', '$sandbox/a/chat/x'],
      ['b', '$sandbox/a/chat/x'],
      ['b', '$sandbox/b/chat/x'],
      ['b', '$sandbox/b/chat/y'],
      ['a', '$sandbox/b/chat/y'],
      ['a', 'chat/x'],
      ['a', '$SYS/broker/heartbeat'],
      ['a', '$sandbox/a/chat/x'],
    ];
    expect(asked.map(([sandbox, topic]) => ofDelivery.of(sandbox, topic))).toEqual(asked.map(([sandbox, topic]) => toClientTopic(sandbox, topic)));
    expect(asked.map(([sandbox, topic]) => ofDelivery.of(sandbox, topic))).toEqual([
      'chat/x',
      'chat/x',
      undefined,
      'chat/x',
      'chat/y',
      undefined,
      'chat/x',
      undefined,
      'chat/x',
    ]);
  });

  it('names domain events as topics', () => {
    expect(domainEventTopic('user.created')).toBe('events/user/created');
    expect(domainEventTopic('sandbox.reset')).toBe('events/sandbox/reset');
  });

  it('names chat messages as topics, one level per room, readable in any script', () => {
    expect(chatTopic('socket.io', 'lobby')).toBe('chat/socket.io/lobby');
    expect(chatTopic('websocket', 'shared')).toBe('chat/websocket/shared');
    expect(chatTopic('socket.io', 'лобби 2')).toBe('chat/socket.io/лобби 2');
  });

  it('keeps a room name from adding levels or wildcards to a chat topic', () => {
    const hostile = ['a/b', '+', '#', 'x/#', '../events/user/created', 'a\u0000b', '100%', '$SYS'];
    const topics = hostile.map((room) => chatTopic('socket.io', room));
    for (const topic of topics) {
      const levels = topic.split('/');
      expect(levels, topic).toHaveLength(3);
      expect(levels.slice(0, 2)).toEqual(['chat', 'socket.io']);
      expect(topic, topic).not.toMatch(/[+#\u0000]/);
      // Exactly the room's own topic: no other room's subscription, and no domain-event filter, matches it.
      expect(topicMatches('events/#', topic)).toBe(false);
      expect(topicMatches('chat/socket.io/+', topic)).toBe(true);
    }
    expect(topics).toEqual([
      'chat/socket.io/a%2Fb',
      'chat/socket.io/%2B',
      'chat/socket.io/%23',
      'chat/socket.io/x%2F%23',
      'chat/socket.io/..%2Fevents%2Fuser%2Fcreated',
      'chat/socket.io/a%00b',
      'chat/socket.io/100%25',
      'chat/socket.io/$SYS',
    ]);
    // Two different names never share a topic: `%` is encoded too.
    expect(topicLevelOf('a/b')).not.toBe(topicLevelOf('a%2Fb'));
  });
});
