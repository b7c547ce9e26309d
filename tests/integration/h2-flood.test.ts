// An HTTP/2 flood from one address does not reach the class (issue 54): each flood's session is
// ended with GOAWAY (ENHANCE_YOUR_CALM where the guard ends it; nghttp2's own code where nghttp2
// does, a CONTINUATION flood), the server logs one line per ended session (never one per
// stream), another address's requests keep being answered, and the server's memory stays
// bounded. Floods are bounded in count and time; loopback only. How fast the other client is
// served meanwhile is bench/h2-flood.ts's business: no timing is asserted here.
import http2 from 'node:http2';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectLogLines, startServer, type RunningServer } from './start-server.ts';
import { connectFrom, continuationFlood, pingFlood, rapidReset, settingsFlood, zeroWindowStall, type FloodOutcome } from './h2-flood-client.ts';

/** Linux routes all of 127.0.0.0/8 to loopback: each flood comes from an address of its own. */
const STUDENT = '127.0.0.1';
const STREAM_BUDGET = 300;
const RESETS_PER_SESSION = 100;
const CONTROL_FRAMES_PER_SESSION = 200;
/** how long an address's new sessions are refused at their start after one of its sessions was ended */
const CALM_MS = 3000;
/** how long such a session is held before its refusal */
const CALM_REFUSAL_HOLD_MS = 300;

let server: RunningServer;
const log = collectLogLines('info');

beforeAll(async () => {
  server = await startServer({
    logger: log.logger,
    // only the HTTP/2 budgets act: the student's requests meet no rate of their own
    rateLimit: false,
    clientLimits: { rates: { h2Streams: { perAddress: STREAM_BUDGET } } },
    http2SessionLimits: {
      resetsPerSession: RESETS_PER_SESSION,
      controlFramesPerSession: CONTROL_FRAMES_PER_SESSION,
      stalledMs: 400,
      calmMs: CALM_MS,
      calmRefusalHoldMs: CALM_REFUSAL_HOLD_MS,
    },
  });
});

afterAll(async () => {
  await server.close();
});

const refusedLines = (address: string) =>
  log.lines
    .filter((line) => (line.http2Session as { address?: string } | undefined)?.address === address)
    .map((line) => line.http2Session as Record<string, unknown>);
const calmLines = (address: string) =>
  log.lines.filter((line) => (line.http2Calm as { address?: string } | undefined)?.address === address).map((line) => line.http2Calm);
const requestLines = (address: string) =>
  log.lines.filter((line) => line.msg === 'incoming request' && (line.req as { remoteAddress?: string })?.remoteAddress === address);

/** The student asks over HTTP/1.1 and over h2c (a session of its own) until `done`; every answer's status. */
async function studentMeanwhile(done: Promise<unknown>): Promise<number[]> {
  const session = connectFrom(server.port, STUDENT);
  session.on('error', () => {});
  const statuses: number[] = [];
  let over = false;
  void done.then(() => {
    over = true;
  });
  while (!over || statuses.length < 4) {
    statuses.push(await h1Get(), await h2Get(session));
    // well within its own address's HTTP/2 stream budget (30 a second refilled)
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  session.close();
  return statuses;
}

function h1Get(): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path: '/api/v1/users/1', localAddress: STUDENT, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode!));
    });
    req.on('error', reject);
    req.end();
  });
}

function h2Get(session: http2.ClientHttp2Session): Promise<number> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':path': '/api/v1/users/1' }, { endStream: true });
    let status = 0;
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
    });
    stream.resume();
    stream.on('end', () => resolve(status));
    stream.on('error', reject);
  });
}

/** A session from `address` asking for a user `streams` times at once; what it got: the GOAWAY, if one came, and the answers. */
async function sessionAsking(address: string, streams: number): Promise<{ goaway: number | null; lastStreamID: number | null; answered: number }> {
  const session = connectFrom(server.port, address);
  session.on('error', () => {});
  let goaway: number | null = null;
  let lastStreamID: number | null = null;
  session.on('goaway', (code: number, last: number) => {
    goaway = code;
    lastStreamID = last;
  });
  const answers = await Promise.all(Array.from({ length: streams }, () => h2Get(session).catch(() => 0)));
  session.destroy();
  return { goaway, lastStreamID, answered: answers.filter((status) => status === 200).length };
}

/** Runs the flood while the student asks; the student's answers must all be 200. */
async function floodBesideStudent(flood: () => Promise<FloodOutcome>): Promise<FloodOutcome> {
  const outcome = flood();
  const statuses = await studentMeanwhile(outcome);
  expect(statuses.length).toBeGreaterThanOrEqual(4);
  expect(
    statuses.every((status) => status === 200),
    statuses.join(' '),
  ).toBe(true);
  return outcome;
}

describe('an HTTP/2 flood from one address', () => {
  it('rapid reset (CVE-2023-44487): the session gets GOAWAY ENHANCE_YOUR_CALM, one log line, and its cancelled streams are neither served nor logged', async () => {
    const address = '127.0.0.2';
    const outcome = await floodBesideStudent(() => rapidReset({ port: server.port, localAddress: address }, { streams: 20 * RESETS_PER_SESSION }));
    expect(outcome).toMatchObject({ goaway: 'ENHANCE_YOUR_CALM', closed: true });
    expect(outcome.sent).toBeLessThan(20 * RESETS_PER_SESSION);
    const lines = refusedLines(address);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ reason: 'rapid-reset' });
    expect(lines[0].resets).toBeGreaterThan(RESETS_PER_SESSION);
    // Before: an "incoming request" and a "request completed" line for every cancelled stream.
    // A stream reset in the read that opened it never reaches the app; only one whose RST came
    // in a later read could be served.
    expect(requestLines(address).length).toBeLessThan(outcome.sent / 10);
  });

  it('a CONTINUATION flood (CVE-2024-27983 family): nghttp2 ends the session, and the server logs it once', async () => {
    const address = '127.0.0.3';
    const outcome = await floodBesideStudent(() => continuationFlood({ port: server.port, localAddress: address }, { frames: 5000 }));
    expect(outcome.closed).toBe(true);
    expect(outcome.goaway).not.toBeNull();
    expect(outcome.sent).toBeLessThan(5000);
    const lines = refusedLines(address);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ reason: 'protocol-error' });
  });

  it('a SETTINGS flood and a PING flood: each session gets GOAWAY ENHANCE_YOUR_CALM and one log line', async () => {
    // two addresses: the second flood from the first's address would be refused at its start (below)
    const [settingsFrom, pingsFrom] = ['127.0.0.4', '127.0.0.9'];
    const settings = await floodBesideStudent(() =>
      settingsFlood({ port: server.port, localAddress: settingsFrom }, { frames: 20 * CONTROL_FRAMES_PER_SESSION }),
    );
    const pings = await floodBesideStudent(() => pingFlood({ port: server.port, localAddress: pingsFrom }, { frames: 20 * CONTROL_FRAMES_PER_SESSION }));
    for (const outcome of [settings, pings]) {
      expect(outcome).toMatchObject({ goaway: 'ENHANCE_YOUR_CALM', closed: true });
      expect(outcome.sent).toBeLessThan(20 * CONTROL_FRAMES_PER_SESSION);
    }
    expect([...refusedLines(settingsFrom), ...refusedLines(pingsFrom)].map((line) => line.reason)).toEqual(['control-frame-flood', 'control-frame-flood']);
  });

  it('a flood that comes back session after session: while its address calms down, each new session is refused at its start (GOAWAY ENHANCE_YOUR_CALM, last stream 0), none of its streams served or logged, and one line tells them all', async () => {
    const address = '127.0.0.10';
    const first = await rapidReset({ port: server.port, localAddress: address }, { streams: 20 * RESETS_PER_SESSION, graceMs: 500 });
    expect(first.goaway).toBe('ENHANCE_YOUR_CALM');
    const served = requestLines(address).length;
    // the script's next sessions, at once, each asking what a student would
    const again = await Promise.all(Array.from({ length: 3 }, () => sessionAsking(address, 5)));
    for (const session of again) expect(session).toEqual({ goaway: http2.constants.NGHTTP2_ENHANCE_YOUR_CALM, lastStreamID: 0, answered: 0 });
    expect(requestLines(address)).toHaveLength(served);
    expect(refusedLines(address)).toHaveLength(1);
    // once calm, the address is served again, and the calm's sessions are told in one line
    await expect.poll(() => calmLines(address), { timeout: 4 * CALM_MS }).toEqual([{ address, sessionsRefusedAtStart: 3 }]);
    expect(await sessionAsking(address, 1)).toMatchObject({ answered: 1 });
  });

  it('a session its address had open when the calm began keeps being served, with a tenth of its budgets: a flood spread over several sessions is ended in each at a tenth', async () => {
    const address = '127.0.0.11';
    const open = connectFrom(server.port, address, { maxOutstandingPings: 1000 });
    open.on('error', () => {});
    let goaway: number | null = null;
    open.on('goaway', (code: number) => {
      goaway = code;
    });
    // admitted and watched before the flood
    expect(await h2Get(open)).toBe(200);
    const flood = await pingFlood({ port: server.port, localAddress: address }, { frames: 20 * CONTROL_FRAMES_PER_SESSION });
    expect(flood.goaway).toBe('ENHANCE_YOUR_CALM');
    // what a real client on that address (a class behind one NAT) does goes on
    expect(await h2Get(open)).toBe(200);
    expect(goaway).toBeNull();
    // past a tenth of its control frames (before: it went on to the whole budget, as each of a script's sessions did)
    for (let i = 0; i <= CONTROL_FRAMES_PER_SESSION / 10; i++) open.ping(() => {});
    await expect.poll(() => goaway).toBe(http2.constants.NGHTTP2_ENHANCE_YOUR_CALM);
    open.destroy();
    const lines = refusedLines(address);
    expect(lines.map((line) => line.reason)).toEqual(['control-frame-flood', 'control-frame-flood']);
    expect(lines[1].controlFrames).toBeLessThan(CONTROL_FRAMES_PER_SESSION / 5);
  });

  it('a zero-window stall: responses the client never lets out end its session (GOAWAY ENHANCE_YOUR_CALM), once logged', async () => {
    const address = '127.0.0.5';
    // the OpenAPI document: bigger than the stream's initial window of 0 bytes can ever let out
    const outcome = await floodBesideStudent(() =>
      zeroWindowStall({ port: server.port, localAddress: address }, { streams: 20, path: '/openapi.json', waitMs: 8000 }),
    );
    expect(outcome).toMatchObject({ goaway: 'ENHANCE_YOUR_CALM', closed: true });
    const lines = refusedLines(address);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ reason: 'zero-window-stall' });
  });

  it("streams past the address's budget are refused (REFUSED_STREAM), then its session gets GOAWAY ENHANCE_YOUR_CALM; another address is served", async () => {
    const address = '127.0.0.6';
    const session = connectFrom(server.port, address);
    session.on('error', () => {});
    let goaway: number | null = null;
    session.on('goaway', (code) => {
      goaway = code;
    });
    const answers: Array<number | string> = [];
    for (let batch = 0; batch < 10 && !session.closed && !session.destroyed; batch++) {
      const replies = Array.from({ length: 50 }, () =>
        h2Get(session).catch((error: NodeJS.ErrnoException) => (error.message.includes('NGHTTP2_REFUSED_STREAM') ? 'refused' : (error.code ?? 'error'))),
      );
      answers.push(...(await Promise.all(replies)));
    }
    // the budget, plus what its bucket refilled while the batches went (30 a second)
    expect(answers.filter((answer) => answer === 200).length).toBeGreaterThanOrEqual(STREAM_BUDGET);
    expect(answers.filter((answer) => answer === 'refused').length).toBeGreaterThan(0);
    await expect.poll(() => goaway).toBe(http2.constants.NGHTTP2_ENHANCE_YOUR_CALM);
    session.destroy();
    expect(refusedLines(address)).toEqual([expect.objectContaining({ reason: 'over-stream-budget', streams: expect.any(Number) })]);
    expect(await h1Get()).toBe(200);
  });

  it('leaves the server its memory: every flood above together did not grow its RSS past a bound', async () => {
    const before = process.memoryUsage().rss;
    for (let round = 0; round < 3; round++) {
      await Promise.all([
        rapidReset({ port: server.port, localAddress: '127.0.0.7' }, { streams: 2000, graceMs: 500 }),
        pingFlood({ port: server.port, localAddress: '127.0.0.7' }, { frames: 2000, graceMs: 500 }),
        continuationFlood({ port: server.port, localAddress: '127.0.0.7' }, { frames: 2000, graceMs: 500 }),
      ]);
    }
    // the test's own process holds the server and the floods' clients: a bound, not a measurement
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 2 ** 20);
    // and no flooding session is left open on it
    await expect.poll(() => server.app.onePort.http2SessionCount()).toBe(0);
  });
});
