import { describe, expect, it } from 'vitest';
import { EventBus, type DomainEvent, type UnnumberedEvent } from './event-bus.ts';

function numbered(id: number, sandboxId = 'a'): DomainEvent {
  return { id, type: 'user.created', sandboxId, at: '2026-01-01T00:00:00.000Z', data: { id } };
}

describe('EventBus alone (one process)', () => {
  it('numbers, delivers before returning, and returns the event; localOnly listeners get every event', () => {
    const bus = new EventBus();
    const all: number[] = [];
    const localOnly: number[] = [];
    bus.subscribe((event) => all.push(event.id));
    bus.subscribe((event) => localOnly.push(event.id), { localOnly: true });
    const first = bus.emit('user.created', 'a', { id: 1 })!;
    const second = bus.emit('user.deleted', 'b', { id: 1 })!;
    expect(second.id).toBe(first.id + 1);
    expect(all).toEqual([first.id, second.id]);
    expect(localOnly).toEqual(all);
    expect(bus.lastId).toBe(second.id);
    expect(bus.missedThrough).toBe(0);
  });
});

describe('EventBus relayed (several instances)', () => {
  function relayedBus(joinedAfter = 0): { bus: EventBus; sent: UnnumberedEvent[] } {
    const bus = new EventBus();
    const sent: UnnumberedEvent[] = [];
    bus.relayThrough({ send: (event) => sent.push(event) }, joinedAfter);
    return { bus, sent };
  }

  it('hands what it makes to the relay and delivers nothing until the relay brings it back', () => {
    const { bus, sent } = relayedBus();
    const heard: DomainEvent[] = [];
    bus.subscribe((event) => heard.push(event));
    expect(bus.emit('post.created', 'a', { id: 7 })).toBeNull();
    expect(sent).toEqual([{ type: 'post.created', sandboxId: 'a', at: expect.any(String), data: { id: 7 } }]);
    expect(heard).toEqual([]);
    expect(bus.since(0, 'a')).toEqual([]);

    const back = { id: 12, ...sent[0]! };
    expect(bus.deliver(back, true)).toBe(true);
    expect(heard).toEqual([back]);
    expect(bus.since(0, 'a')).toEqual([back]);
    expect(bus.lastId).toBe(12);
  });

  it('keeps events of other instances for replay and skips localOnly listeners for them', () => {
    const { bus } = relayedBus();
    const everyone: number[] = [];
    const localOnly: number[] = [];
    const sandboxB: number[] = [];
    bus.subscribe((event) => everyone.push(event.id));
    bus.subscribe((event) => localOnly.push(event.id), { localOnly: true });
    bus.subscribe((event) => sandboxB.push(event.id), { sandboxId: 'b' });
    bus.deliver(numbered(1, 'a'), false);
    bus.deliver(numbered(2, 'b'), true);
    bus.deliver(numbered(3, 'b'), false);
    expect(everyone).toEqual([1, 2, 3]);
    expect(localOnly).toEqual([2]);
    expect(sandboxB).toEqual([2, 3]);
    expect(bus.since(1).map((e) => e.id)).toEqual([2, 3]);
  });

  it('refuses an id not above the newest one: ids a client sees only ever increase', () => {
    const { bus } = relayedBus(10);
    const heard: number[] = [];
    bus.subscribe((event) => heard.push(event.id));
    expect(bus.lastId).toBe(10);
    expect(bus.deliver(numbered(10), false)).toBe(false);
    expect(bus.deliver(numbered(11), false)).toBe(true);
    expect(bus.deliver(numbered(11), false)).toBe(false);
    expect(bus.deliver(numbered(5), false)).toBe(false);
    expect(heard).toEqual([11]);
  });

  it('remembers the newest id it never received: the deployment’s newest when it joined, then any it missed', () => {
    const { bus } = relayedBus(40);
    expect(bus.missedThrough).toBe(40);
    bus.missed(30);
    expect(bus.missedThrough).toBe(40);
    bus.missed(45);
    expect(bus.missedThrough).toBe(45);
  });
});
