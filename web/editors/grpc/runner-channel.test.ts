import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RunnerChannel } from './runner-channel.ts';

/** A browser WebSocket whose server side the test plays: `accept()` opens it, `closeFromServer(code)` ends it. */
class FakeWebSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static made: FakeWebSocket[] = [];
  readyState = FakeWebSocket.CONNECTING;
  readonly sent: string[] = [];
  constructor(readonly url: string) {
    super();
    FakeWebSocket.made.push(this);
  }
  send(data: string): void {
    this.sent.push(data);
  }
  /** as the browser does: CLOSING at once, the close event once the closing handshake is over */
  close(): void {
    this.readyState = FakeWebSocket.CLOSING;
  }
  accept(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.dispatchEvent(new Event('open'));
  }
  closeFromServer(code: number): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.dispatchEvent(Object.assign(new Event('close'), { code }));
  }
}

const command = { type: 'cancel', call: 'call-1' } as const;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
/** A channel whose reported closes go into `closes`. */
const channelReportingTo = (closes: number[]) =>
  new RunnerChannel(
    'ws://wirelab.test/runner',
    () => {},
    (code) => closes.push(code),
  );

/** A channel reporting its closes into `closes`, its first command sent on a socket the server accepted. */
async function channelWithOpenSocket(): Promise<{ channel: RunnerChannel; closes: number[] }> {
  const closes: number[] = [];
  const channel = channelReportingTo(closes);
  const sent = channel.send(command);
  FakeWebSocket.made[0]!.accept();
  await sent;
  return { channel, closes };
}

describe('RunnerChannel', () => {
  beforeEach(() => {
    FakeWebSocket.made = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('sends the commands given while its socket connects on that one socket, once it is open', async () => {
    const channel = channelReportingTo([]);
    const first = channel.send(command);
    const second = channel.send({ ...command, call: 'call-2' });
    expect(FakeWebSocket.made).toHaveLength(1);
    FakeWebSocket.made[0]!.accept();
    await Promise.all([first, second]);
    expect(FakeWebSocket.made[0]!.sent.map((data) => JSON.parse(data).call)).toEqual(['call-1', 'call-2']);
  });

  it('reports the server closing the channel, with its code, and opens a new socket for the next command', async () => {
    const { channel, closes } = await channelWithOpenSocket();
    FakeWebSocket.made[0]!.closeFromServer(1011);
    expect(closes).toEqual([1011]);
    const again = channel.send(command);
    expect(FakeWebSocket.made).toHaveLength(2);
    FakeWebSocket.made[1]!.accept();
    await again;
  });

  it('does not report the close of a socket it let go: that close can come after the next call began elsewhere', async () => {
    const { channel, closes } = await channelWithOpenSocket();
    channel.close();
    expect(FakeWebSocket.made[0]!.readyState).toBe(FakeWebSocket.CLOSING);
    FakeWebSocket.made[0]!.closeFromServer(1000);
    await settle();
    expect(closes).toEqual([]);
  });

  it('fails a command whose socket closed before it opened, and reports that close', async () => {
    const closes: number[] = [];
    const channel = channelReportingTo(closes);
    const sent = channel.send(command);
    FakeWebSocket.made[0]!.closeFromServer(1006);
    await expect(sent).rejects.toThrow('runner channel closed (1006)');
    expect(closes).toEqual([1006]);
  });
});
