import { afterEach, describe, expect, it, vi } from 'vitest';
import { CLASS_CLOSE } from '../../contracts/class-channel/messages.ts';

// «Показать классу» from the tab that leads a class (issue 52, item 2): what the tab says on its
// lead channel. It sends the capture once; the tab's own place does not take the class back while
// it stays on that capture's page, and is sent again after a reconnect; a refusal is said and the
// teacher's next place in the lessons goes out as a move.

const ID = 'AAAAAAAAAAAAAAAAAAAAAA';

class FakeSocket {
  static readonly OPEN = 1;
  static opened: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  readyState = 0;
  sent: Array<Record<string, unknown>> = [];
  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }
  send(text: string): void {
    this.sent.push(JSON.parse(text) as Record<string, unknown>);
  }
  close(): void {}
  /** opened, and the server's answer to `lead` */
  leads(): void {
    this.readyState = FakeSocket.OPEN;
    this.onopen!();
    this.answer({ type: 'leading', code: 'K7FM3Q', relaying: true });
  }
  answer(message: object): void {
    this.onmessage!({ data: JSON.stringify(message) });
  }
  navigations(): Array<Record<string, unknown>> {
    return this.sent.filter((message) => message.type === 'navigate');
  }
}

// a lesson's place reads the lesson index, a virtual module of the web build: the rest lesson is one
vi.mock('./page-place.ts', () => ({
  navigationOf: (pathname: string) => (pathname.endsWith('/rest') ? { lesson: 'rest', section: '' } : null),
}));

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.resetModules();
  FakeSocket.opened = [];
});

async function leadingTab(pathname: string) {
  vi.useFakeTimers();
  const location = { protocol: 'http:', host: 'wirelab.test', pathname, hash: '' };
  const kept = new Map([['wirelab.class.teacherKey', 'a-teacher-key-of-some-length']]);
  vi.stubGlobal('window', { location });
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => kept.get(key) ?? null,
    setItem: (key: string, value: string) => kept.set(key, value),
    removeItem: () => {},
  });
  vi.stubGlobal('WebSocket', FakeSocket);
  const lead = await import('./teacher-class.ts');
  lead.startLeading('K7FM3Q');
  FakeSocket.opened[0].leads();
  return { lead, location, socket: () => FakeSocket.opened.at(-1)! };
}

describe('a shared capture shown from the leading tab', () => {
  it('goes out once, stays the class’s place on its page and after a reconnect, and the next lesson takes the class back', async () => {
    const { lead, location, socket } = await leadingTab('/ru/rest');
    expect(socket().navigations()).toEqual([{ type: 'navigate', lesson: 'rest', section: '' }]);
    // the Share panel takes the tab to the capture's page, then shows it
    location.pathname = `/ru/capture/${ID}`;
    expect(lead.showCaptureToClass(ID)).toBe(true);
    vi.advanceTimersByTime(1000);
    expect(socket().navigations().slice(1)).toEqual([{ type: 'navigate', capture: ID }]);
    socket().answer({ type: 'capture-shown', capture: ID });

    // the instance moved (4307): leading again from there puts the capture back for the followers
    socket().onclose!({ code: CLASS_CLOSE.moved, reason: '' });
    vi.advanceTimersByTime(0);
    socket().leads();
    expect(socket().navigations()).toEqual([{ type: 'navigate', capture: ID }]);

    location.pathname = '/ru/rest';
    vi.advanceTimersByTime(1000);
    expect(socket().navigations().slice(1)).toEqual([{ type: 'navigate', lesson: 'rest', section: '' }]);
    lead.stopLeading();
  });

  it('moves nobody from another capture’s page, and after a refusal the teacher’s lesson goes out again', async () => {
    const { lead, location, socket } = await leadingTab('/en/rest');
    // a capture the teacher only looks at
    location.pathname = '/en/capture/BBBBBBBBBBBBBBBBBBBBBB';
    vi.advanceTimersByTime(1000);
    expect(socket().navigations()).toEqual([{ type: 'navigate', lesson: 'rest', section: '' }]);

    location.pathname = `/en/capture/${ID}`;
    lead.showCaptureToClass(ID);
    socket().answer({ type: 'error', error: 'NO_SUCH_CAPTURE' });
    vi.advanceTimersByTime(1000);
    expect(socket().navigations().slice(1)).toEqual([{ type: 'navigate', capture: ID }]);
    location.pathname = '/en/rest';
    vi.advanceTimersByTime(1000);
    expect(socket().navigations().slice(2)).toEqual([{ type: 'navigate', lesson: 'rest', section: '' }]);
    lead.stopLeading();
  });

  it('takes each follower to the capture in the follower’s own language', async () => {
    vi.stubGlobal('window', { location: { pathname: '/ru/grpc', hash: '' } });
    const { followTarget } = await import('./student-class.ts');
    expect(followTarget({ capture: ID })).toBe(`/ru/capture/${ID}`);
    expect(followTarget({ lesson: 'rest', section: 'status-codes' })).toBe('/ru/rest#status-codes');
    vi.stubGlobal('window', { location: { pathname: '/en/', hash: '' } });
    expect(followTarget({ capture: ID })).toBe(`/en/capture/${ID}`);
  });

  it('sends nothing from a tab that does not lead', async () => {
    vi.stubGlobal('window', { location: { protocol: 'http:', host: 'wirelab.test', pathname: `/en/capture/${ID}`, hash: '' } });
    vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => {}, removeItem: () => {} });
    vi.stubGlobal('WebSocket', FakeSocket);
    const lead = await import('./teacher-class.ts');
    expect(lead.showCaptureToClass(ID)).toBe(false);
    expect(FakeSocket.opened).toEqual([]);
  });
});
