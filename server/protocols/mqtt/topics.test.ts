import { describe, expect, it } from 'vitest';
import { topicMatches } from '../../../wire/mqtt/topic-rules.ts';
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
