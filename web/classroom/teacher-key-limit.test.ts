import { afterEach, describe, expect, it, vi } from 'vitest';
import { CLASS_CLOSE, teacherKeyLimitedReason } from '../../contracts/class-channel/messages.ts';

// The teacher's desk after too many wrong teacher keys from its address (issue 51, item 4): the
// class channel closes 4429 naming the seconds to wait; the desk says so (not a generic "connecting")
// and says hello again only then — asking sooner would only be refused unheard again.

class FakeSocket {
  static readonly OPEN = 1;
  static opened: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  readyState = 0;
  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }
  send(): void {}
  close(): void {}
}

// where the teacher's tab is reads the lesson index, a virtual module of the web build: not needed here
vi.mock('./page-place.ts', () => ({ navigationOf: () => null }));

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the teacher desk closed by the wrong-key limit (4429)', () => {
  it('is "limited" for the seconds the server named, then says hello again', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('window', { location: { protocol: 'http:', host: 'wirelab.test', pathname: '/en/class/teach', hash: '' } });
    vi.stubGlobal('WebSocket', FakeSocket);
    const { TeacherChannel } = await import('./teacher-class.ts');
    const channel = new TeacherChannel('a-teacher-key-of-some-length');
    channel.start();
    FakeSocket.opened[0].onclose!({ code: CLASS_CLOSE.teacherKeyLimited, reason: teacherKeyLimitedReason(42) });
    expect(channel.state).toMatchObject({ status: 'limited', limitedForS: 42 });
    vi.advanceTimersByTime(41_000);
    expect(FakeSocket.opened).toHaveLength(1);
    vi.advanceTimersByTime(1_000);
    expect(FakeSocket.opened).toHaveLength(2);
    channel.stop();
  });
});
