// How long an event may take: the check's whole limit for the first (an honest server on a loaded
// laptop is slow), 1.5 s more for the other clients once one has it, and the short wait for a run
// whose server sent no event in a whole one. On a fake clock and a fake socket: every bound below
// is exact, whatever the machine's load.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NoAnswer } from './check-kit.ts';
import { EventWaits, firstOnEach, withinWindow } from './event-waits.ts';
import { checkedOn, FakeSocket, LIMITS, timed } from './event-waits-fakes.ts';
import { OPCODE, type CheckedWebSocket, type Frame } from './websocket-client.ts';

const text = (frame: Frame) => (frame.opcode === OPCODE.text ? frame.payload.toString('utf8') : null);
const saying = (wanted: string) => (frame: Frame) => (text(frame) === wanted ? wanted : null);

function sockets(count: number): { fakes: FakeSocket[]; checked: CheckedWebSocket[] } {
  const fakes = Array.from({ length: count }, () => new FakeSocket());
  return { fakes, checked: fakes.map((fake) => checkedOn(fake)) };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the first event a check waits for', () => {
  it("may come 2.5 s after the action: the wait is the check's whole limit, not 1.5 s", async () => {
    const waits = new EventWaits(LIMITS);
    const { fakes, checked } = sockets(1);
    setTimeout(() => fakes[0]!.say('user.created'), 2_500);
    const { value, ms } = await timed(firstOnEach(waits, checked, saying('user.created')));
    expect(value[0]).toMatchObject({ found: 'user.created', end: 'arrived', after: null });
    expect(ms).toBeLessThanOrEqual(2_600);
    expect(waits.window()).toEqual({ ms: 5_000, shortenedFrom: null });
  });

  it('skips other messages on the way, and fails at the limit when its own never comes', async () => {
    const waits = new EventWaits(LIMITS);
    const { fakes, checked } = sockets(1);
    setTimeout(() => fakes[0]!.say('a greeting'), 1_000);
    const { value, ms } = await timed(firstOnEach(waits, checked, saying('user.created')));
    expect(value[0]).toMatchObject({ found: null, end: 'timed-out', wait: { ms: 5_000, shortenedFrom: null } });
    expect(ms).toBeGreaterThanOrEqual(5_000);
    expect(ms).toBeLessThanOrEqual(5_100);
  });
});

describe('several clients waiting for the same event', () => {
  it('the others get 1.5 s from its arrival on one: a server that tells one client fails at limit + 1.5 s at most', async () => {
    const waits = new EventWaits(LIMITS);
    const { fakes, checked } = sockets(2);
    setTimeout(() => fakes[0]!.say('user.created'), 4_900);
    const { value, ms } = await timed(firstOnEach(waits, checked, saying('user.created')));
    expect(value[0]).toMatchObject({ found: 'user.created', after: null });
    expect(value[1]).toMatchObject({ found: null, end: 'timed-out', after: 0, wait: { ms: 1_500 } });
    expect(ms).toBeGreaterThanOrEqual(6_400);
    expect(ms).toBeLessThanOrEqual(6_500);
    // the server does send events: the next check still has the whole limit
    expect(waits.window().ms).toBe(5_000);
  });

  it("an early arrival cuts the others' wait short: 1.5 s after it, not the rest of the limit", async () => {
    const waits = new EventWaits(LIMITS);
    const { fakes, checked } = sockets(2);
    setTimeout(() => fakes[1]!.say('user.created'), 200);
    const { value, ms } = await timed(firstOnEach(waits, checked, saying('user.created')));
    expect(value[0]).toMatchObject({ found: null, after: 1 });
    expect(ms).toBeGreaterThanOrEqual(1_700);
    expect(ms).toBeLessThanOrEqual(1_800);
  });

  it("takes the other client's event when it comes within 1.5 s of the first", async () => {
    const waits = new EventWaits(LIMITS);
    const { fakes, checked } = sockets(2);
    setTimeout(() => fakes[0]!.say('user.created'), 3_000);
    setTimeout(() => fakes[1]!.say('user.created'), 4_300);
    const { value } = await timed(firstOnEach(waits, checked, saying('user.created')));
    expect(value.map((wait) => wait.found)).toEqual(['user.created', 'user.created']);
  });

  it('takes a message that was queued before the wait began', async () => {
    const waits = new EventWaits(LIMITS);
    const { fakes, checked } = sockets(2);
    fakes[1]!.say('user.created');
    fakes[0]!.say('user.created');
    const { value, ms } = await timed(firstOnEach(waits, checked, saying('user.created')));
    expect(value.map((wait) => wait.found)).toEqual(['user.created', 'user.created']);
    expect(ms).toBeLessThanOrEqual(100);
  });
});

describe("a suite run's memory", () => {
  it('a server that never sends events costs the whole limit once, then the short wait, until an event comes', async () => {
    const waits = new EventWaits(LIMITS);
    const first = await timed(firstOnEach(waits, sockets(1).checked, saying('user.created')));
    expect(first.ms).toBeGreaterThanOrEqual(5_000);
    expect(waits.window()).toEqual({ ms: 1_500, shortenedFrom: 5_000 });

    const later = await timed(firstOnEach(waits, sockets(2).checked, saying('user.created')));
    expect(later.ms).toBeGreaterThanOrEqual(1_500);
    expect(later.ms).toBeLessThanOrEqual(1_600);
    expect(later.value[0]!.wait).toEqual({ ms: 1_500, shortenedFrom: 5_000 });
    // a short wait that saw nothing does not shorten anything more; an event lengthens them again
    expect(waits.window().ms).toBe(1_500);
    const { fakes, checked } = sockets(1);
    setTimeout(() => fakes[0]!.say('user.created'), 300);
    await timed(firstOnEach(waits, checked, saying('user.created')));
    expect(waits.window()).toEqual({ ms: 5_000, shortenedFrom: null });
  });

  it('a connection the server closed does not shorten later waits (it cost nothing)', async () => {
    const waits = new EventWaits(LIMITS);
    const { fakes, checked } = sockets(1);
    setTimeout(() => fakes[0]!.destroy(), 100);
    const { value } = await timed(firstOnEach(waits, checked, saying('user.created')));
    expect(value[0]).toMatchObject({ found: null, end: 'other' });
    expect(waits.window().ms).toBe(5_000);
  });

  it('a report names the wait it used, and why a short one was short', () => {
    expect(withinWindow({ ms: 5_000, shortenedFrom: null })).toEqual({ en: 'within 5000 ms', ru: 'за 5000\u00a0мс' });
    const short = withinWindow({ ms: 1_500, shortenedFrom: 5_000 }, { en: ' of X', ru: ' после X' });
    expect(short.en).toBe('within 1500 ms of X (shortened: earlier in this run a check waited the whole 5000 ms and no event came)');
    expect(short.ru).toBe('за 1500\u00a0мс после X (меньше обычного: раньше в этом запуске проверка ждала событие все 5000\u00a0мс и не дождалась)');
  });
});

describe('CheckedWebSocket.next and its wake', () => {
  it('a frame taken in the turn a wake ends the wait goes back for the next wait', async () => {
    const { fakes, checked } = sockets(1);
    const wake = new AbortController();
    const waiting = checked[0]!.next(5_000, wake.signal);
    fakes[0]!.say('kept');
    wake.abort();
    await expect(waiting).rejects.toBeInstanceOf(NoAnswer);
    expect(text((await checked[0]!.next(0))!)).toBe('kept');
  });

  it('a wake aborted already is ignored: the wait still waits', async () => {
    const { fakes, checked } = sockets(1);
    const wake = new AbortController();
    wake.abort();
    setTimeout(() => fakes[0]!.say('late'), 1_000);
    const { value } = await timed(checked[0]!.next(5_000, wake.signal));
    expect(text(value!)).toBe('late');
  });
});
