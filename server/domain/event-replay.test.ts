import { describe, expect, it } from 'vitest';
import { EventBus } from './index.ts';
import { planReplay } from './event-replay.ts';

function busWith(count: number, keep: number, sandboxOf: (i: number) => string = () => 'a'): { bus: EventBus; ids: number[] } {
  const bus = new EventBus(keep);
  const ids: number[] = [];
  for (let i = 0; i < count; i++) ids.push(bus.emit('user.created', sandboxOf(i), { id: i })!.id);
  return { bus, ids };
}

describe('planReplay', () => {
  it('replays the sandbox’s events after the id, and nothing else', () => {
    const { bus, ids } = busWith(6, 10, (i) => (i % 2 === 0 ? 'a' : 'b'));
    const plan = planReplay(bus, ids[1], 'a', 10);
    expect(plan.gap).toBeNull();
    expect(plan.events.map((e) => e.id)).toEqual([ids[2], ids[4]]);
    expect(planReplay(bus, ids[5], 'a', 10).events).toEqual([]);
  });

  it('sees no gap while nothing has been dropped, even from id 0', () => {
    const { bus, ids } = busWith(3, 10);
    expect(planReplay(bus, 0, 'a', 10)).toEqual({ events: bus.since(0, 'a'), gap: null });
    expect(ids).toHaveLength(3);
  });

  it('reports a gap when events after the id have left a full buffer', () => {
    const { bus, ids } = busWith(8, 5);
    // kept: ids[3..7]; ids[2] was dropped, so a client at ids[1] missed it.
    const tooOld = planReplay(bus, ids[1], 'a', 5);
    expect(tooOld.gap).toMatchObject({ reason: 'too-old', after: ids[1], oldestKept: ids[3] });
    expect(tooOld.gap!.message.ru).toMatch(/уже не хранятся/);
    expect(tooOld.events.map((e) => e.id)).toEqual(ids.slice(3));
    // A client at ids[2] has seen everything that was dropped.
    expect(planReplay(bus, ids[2], 'a', 5).gap).toBeNull();
  });

  it('reports events a relayed bus never received after the client’s id, but not to a client at 0', () => {
    const bus = new EventBus(10);
    // Joined a deployment whose newest event was 40; then heard 41 and 42, missed 43..45, heard 46.
    bus.relayThrough({ send: () => {} }, 40);
    for (const id of [41, 42, 46]) bus.deliver({ id, type: 'user.created', sandboxId: 'a', at: '', data: { id } }, false);
    bus.missed(45);
    const plan = planReplay(bus, 42, 'a', 10);
    expect(plan.gap).toMatchObject({ reason: 'not-received', after: 42, oldestKept: 41 });
    expect(plan.gap!.message.ru).toMatch(/не получил/);
    expect(plan.events.map((e) => e.id)).toEqual([46]);
    expect(planReplay(bus, 45, 'a', 10).gap).toBeNull();
    expect(planReplay(bus, 0, 'a', 10)).toEqual({ events: bus.since(0, 'a'), gap: null });
  });

  it('reports an id this server never issued (a restart) and replays all it keeps', () => {
    const { bus, ids } = busWith(2, 5);
    const plan = planReplay(bus, ids[1] + 1000, 'a', 5);
    expect(plan.gap).toMatchObject({ reason: 'unknown-id' });
    expect(plan.events.map((e) => e.id)).toEqual(ids);
  });

  it('never reports a gap forced by another sandbox’s burst: each sandbox keeps its own buffer', () => {
    const bus = new EventBus(5);
    const mine = bus.emit('user.created', 'quiet', { id: 1 })!;
    for (let i = 0; i < 50; i++) bus.emit('user.created', 'busy', { id: i });
    const plan = planReplay(bus, mine.id - 1, 'quiet', 5);
    expect(plan.gap).toBeNull();
    expect(plan.events.map((e) => e.id)).toEqual([mine.id]);
    // The busy sandbox itself lost its oldest, and is told so.
    expect(planReplay(bus, mine.id, 'busy', 5).gap).toMatchObject({ reason: 'too-old' });
  });

  it('past the total, the sandbox keeping the most gives up its oldest, not a quiet one', () => {
    const bus = new EventBus({ perSandbox: 100, total: 30 });
    const quiet = [1, 2, 3].map((i) => bus.emit('user.created', 'quiet', { id: i })!.id);
    for (let i = 0; i < 200; i++) bus.emit('user.created', 'busy', { id: i });
    expect(bus.keptCount).toBe(30);
    expect(bus.since(0, 'quiet').map((e) => e.id)).toEqual(quiet);
    expect(planReplay(bus, quiet[0] - 1, 'quiet', 100).gap).toBeNull();
    bus.forget('busy');
    expect(bus.keptCount).toBe(3);
  });
});
