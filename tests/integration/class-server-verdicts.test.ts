// The class board keeps the server's verdicts (issue 35, item 1): a pass counts only when the
// server, reading the bytes it captured for the student's browser session with wire/'s decoders,
// finds what the exercise's check asks. A forged `{"passed": true}` is refused; the cell's real
// request over a real socket with the session cookie counts; an answer is checked against the
// server's own capture; a "check my server" run asked with a curl token alone is not on the board;
// Wirelab behind a 20-line TCP forwarder is marked as Wirelab.
import { createServer as createHttpServer } from 'node:http';
import { createServer, connect, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Board } from '../../contracts/class-channel/messages.ts';
import type { CheckReport } from '../../contracts/own-server/check-result.ts';
import { post } from './classroom-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

const KEY = 'verdicts-teacher-key';
const teacher = { 'x-wirelab-teacher-key': KEY, 'content-type': 'application/json' };
const LESSON = 'how-a-request-travels';
const SSE_LESSON = 'server-sent-events';

/**
 * The forwarder of issue 51: it reads each connection's request line, answers 404 to anything
 * under /_wirelab/ (so the nonce question never reaches Wirelab) and pipes the rest to `port`.
 */
function startPathFilteringForwarder(port: number): Promise<Server> {
  const forwarder = createServer((client) => {
    client.on('error', () => undefined);
    let head = Buffer.alloc(0);
    const firstBytes = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const line = head.toString('latin1');
      if (!line.includes('\r\n')) return;
      client.off('data', firstBytes);
      if (/^[A-Z]+ \/_wirelab\//.test(line)) {
        client.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        return;
      }
      const upstream = connect(port, '127.0.0.1', () => upstream.write(head));
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    };
    client.on('data', firstBytes);
  });
  return new Promise((resolve) => forwarder.listen(0, '127.0.0.1', () => resolve(forwarder)));
}

/** A TCP forwarder of twenty lines: every connection to it is piped to `port`. */
function startForwarder(port: number): Promise<Server> {
  const forwarder = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  return new Promise((resolve) => forwarder.listen(0, '127.0.0.1', () => resolve(forwarder)));
}

describe('the class board keeps the server’s verdicts', () => {
  let server: RunningServer;
  let forwarder: Server;
  let code = '';
  let cookie = '';
  let member: Record<string, string> = {};

  const newSession = async (): Promise<string> => (await fetch(`${server.origin}/_wirelab/session`)).headers.getSetCookie()[0].split(';')[0];
  const board = async (): Promise<Board> =>
    (await fetch(`${server.origin}/_wirelab/class/classes/${code}/board`, { headers: teacher })).json() as Promise<Board>;
  const passedOnBoard = async (): Promise<string[]> =>
    (await board()).members.flatMap((row) => row.results.filter((result) => result.passedMs !== null).map((result) => `${result.lesson}/${result.exercise}`));
  const report = (body: Record<string, unknown>, headers: Record<string, string> = member) =>
    post(server.origin, '/_wirelab/class/progress', { lesson: LESSON, ...body }, headers);

  beforeAll(async () => {
    server = await startServer({ classroom: { teacherKey: KEY } });
    forwarder = await startForwarder(server.port);
    code = ((await (await post(server.origin, '/_wirelab/class/classes', { title: 'Вердикты' }, teacher)).json()) as { code: string }).code;
    cookie = await newSession();
    const joined = await post(server.origin, '/_wirelab/class/join', { code, name: 'Анна' }, { 'content-type': 'application/json', cookie });
    expect(joined.status).toBe(200);
    const { memberToken } = (await joined.json()) as { memberToken: string };
    member = { 'content-type': 'application/json', 'x-wirelab-member': memberToken, cookie };
  });
  afterAll(async () => {
    forwarder?.close();
    await server?.close();
  });

  it('refuses a forged pass: the member token and the cookie alone, with no such traffic captured', async () => {
    const stranger = await report({ exercise: 'send-head', passed: true }, { ...member, cookie: '' });
    expect(await stranger.json()).toEqual({ result: null, verdict: { passed: false, why: 'no-captures' } });
    const forged = await report({ exercise: 'send-head', passed: true });
    expect(forged.status).toBe(200);
    expect(await forged.json()).toEqual({ result: null, verdict: { passed: false, why: 'not-seen' } });
    // traffic of another kind does not pass it either
    await fetch(`${server.origin}/api/v1/users/1`, { headers: { cookie } });
    const still = await report({ exercise: 'send-head', passed: true });
    expect(await still.json()).toEqual({ result: null, verdict: { passed: false, why: 'not-seen' } });
    expect(await passedOnBoard()).toEqual([]);
  });

  it('counts a pass the server captured: the cell’s HEAD over a real socket with the session cookie', async () => {
    const head = await fetch(`${server.origin}/api/v1/users/1`, { method: 'HEAD', headers: { cookie } });
    expect(head.status).toBe(200);
    const counted = await report({ exercise: 'send-head', passed: true });
    const body = (await counted.json()) as { result: { passedMs: number | null }; verdict: unknown };
    expect(body.verdict).toEqual({ passed: true });
    expect(body.result.passedMs).toEqual(expect.any(Number));
    expect(await passedOnBoard()).toEqual([`${LESSON}/send-head`]);
  });

  it('checks an answer against the server’s own capture: a wrong one is refused, the right one counts', async () => {
    const created = await fetch(`${server.origin}/api/v1/users`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Вердикт', email: `verdict-${Date.now()}@example.com` }),
    });
    expect(created.status).toBe(201);
    const wrong = await report({ exercise: 'find-body-start', passed: true, answer: '1' });
    expect(await wrong.json()).toEqual({ result: null, verdict: { passed: false, why: 'not-seen' } });
    // the offset the inspector shows: where the body starts in the bytes the server captured
    const captured = server.app.captures!.capturedOf(cookie.split('=')[1])!.read();
    const post = captured.chunks.find((chunk) => chunk.dir === 'in' && chunk.data.toString('latin1').startsWith('POST /api/v1/users '))!;
    const offset = post.data.indexOf('\r\n\r\n') + 4;
    const right = await report({ exercise: 'find-body-start', passed: true, answer: String(offset) });
    expect(((await right.json()) as { verdict: unknown }).verdict).toEqual({ passed: true });
    expect(await passedOnBoard()).toContain(`${LESSON}/find-body-start`);
  });

  it('does not take another session’s traffic: the pass is judged on the cookie’s session only', async () => {
    const other = await newSession();
    await fetch(`${server.origin}/api/v1/users/999999`, { headers: { cookie: other } });
    const claimed = await report({ exercise: 'get-404', passed: true });
    expect(((await claimed.json()) as { verdict: unknown }).verdict).toEqual({ passed: false, why: 'not-seen' });
  });

  it('keeps a "check my server" run asked with a curl token alone off the board', async () => {
    const { curlToken } = (await (await fetch(`${server.origin}/_wirelab/session`, { headers: { cookie } })).json()) as { curlToken: string };
    const run = await fetch(`${server.origin}/_wirelab/own-server/checks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wirelab-sandbox': curlToken },
      body: JSON.stringify({ protocol: 'sse', target: `127.0.0.1:${server.port}` }),
    });
    expect(run.status).toBe(200);
    expect(((await run.json()) as CheckReport).reachable).toBe(true);
    expect((await board()).members.flatMap((row) => row.servers)).toEqual([]);
  });

  it('marks Wirelab behind a TCP forwarder as Wirelab, on the report and on the board', async () => {
    const through = `127.0.0.1:${(forwarder.address() as AddressInfo).port}`;
    const run = await fetch(`${server.origin}/_wirelab/own-server/checks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ protocol: 'sse', target: through }),
    });
    const checked = (await run.json()) as CheckReport;
    expect(checked.reachable).toBe(true);
    expect(checked.targetIsWirelab).toBe(true);
    expect((await board()).members[0].servers).toEqual([expect.objectContaining({ protocol: 'sse', targetIsWirelab: true })]);
  });

  it('gives nothing of lesson 02 for a fake "my server" that answers what get-412 and version-by-accept look for (issue 51)', async () => {
    // ten lines that answer exactly what the two exercises' checks look for
    const fake = createHttpServer((request, response) => {
      if (request.method === 'PATCH' && request.headers['if-match']) {
        response.writeHead(412, { etag: '"v9"', 'content-type': 'application/problem+json' }).end('{}');
      } else if (request.url === '/api/users/1' && /vnd\.wirelab\.v2/.test(request.headers.accept ?? '')) {
        response.writeHead(200, { 'content-type': 'application/vnd.wirelab.v2+json', 'api-version': '2', vary: 'Accept' }).end('{"id":1}');
      } else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const target = `127.0.0.1:${(fake.address() as AddressInfo).port}`;
    const relay = async (method: string, path: string, headers: [string, string][], body: string | null = null) => {
      const answer = await fetch(`${server.origin}/_wirelab/own-server/http`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ target, method, path, headers, body }),
      });
      return ((await answer.json()) as { status: number }).status;
    };
    try {
      // the cell shows the fake's answers: the relay carried them
      expect(
        await relay(
          'PATCH',
          '/api/v1/users/1',
          [
            ['if-match', '"v1"'],
            ['content-type', 'application/json'],
          ],
          '{"name":"x"}',
        ),
      ).toBe(412);
      expect(await relay('GET', '/api/users/1', [['accept', 'application/vnd.wirelab.v2+json']])).toBe(200);
      for (const exercise of ['get-412', 'version-by-accept']) {
        const claimed = await report({ lesson: 'rest', exercise, passed: true });
        expect(((await claimed.json()) as { verdict: unknown }).verdict).toEqual({ passed: false, why: 'not-seen' });
      }
      expect((await passedOnBoard()).filter((passed) => passed.startsWith('rest/'))).toEqual([]);
    } finally {
      fake.close();
    }
  });

  it('gives lesson 15 nothing for Wirelab behind a forwarder that hides /_wirelab/, and the report says why (issue 51)', async () => {
    const filtering = await startPathFilteringForwarder(server.port);
    // the student's own server, broken: every check fails, as an untouched skeleton's would
    const broken = createHttpServer((_request, response) => response.writeHead(500).end());
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    const run = async (target: string) =>
      (await (
        await fetch(`${server.origin}/_wirelab/own-server/checks`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ protocol: 'rest', target }),
        })
      ).json()) as CheckReport & { exercise?: { passed: boolean; note: { en: string; ru: string } } };
    try {
      const own = await run(`127.0.0.1:${(broken.address() as AddressInfo).port}`);
      expect(own).toMatchObject({ reachable: true, targetIsWirelab: false });
      expect(own.counts.failed).toBeGreaterThan(0);
      const forwarded = await run(`127.0.0.1:${(filtering.address() as AddressInfo).port}`);
      // every check passes: they are Wirelab's answers
      expect(forwarded.counts).toMatchObject({ failed: 0 });
      expect(forwarded).toMatchObject({ targetIsWirelab: true, wirelabSeen: 'requests-arrived-back', exercise: { passed: false } });
      expect(forwarded.exercise!.note.en).toMatch(/came back to Wirelab itself.*forwarder or a proxy/);
      expect(forwarded.exercise!.note.ru).toMatch(/вернулись в сам Wirelab/);
      const claimed = await report({ lesson: 'build-your-own-server', exercise: 'rest-passes', passed: true });
      expect(((await claimed.json()) as { verdict: unknown }).verdict).toEqual({ passed: false, why: 'not-seen' });
      expect(await passedOnBoard()).not.toContain('build-your-own-server/rest-passes');
    } finally {
      filtering.close();
      broken.close();
    }
  });

  it('counts no miss for a run before the answer was typed, nor for a request that never reached Wirelab (issue 51)', async () => {
    const attempts = async () => {
      const id = (await board()).members[0].id;
      const answer = await fetch(`${server.origin}/_wirelab/class/classes/${code}/members/${id}/attempts`, { headers: teacher });
      return ((await answer.json()) as { attempts: Array<{ exercise: string; passed: boolean }> }).attempts.filter((attempt) => !attempt.passed);
    };
    const before = (await attempts()).length;
    const early = await report({ exercise: 'find-body-start', passed: false, miss: { kind: 'no-answer' } });
    expect(await early.json()).toEqual({ result: null, counted: false, why: 'no-answer' });
    // a miss about a request this browser never sent to Wirelab (its cell aimed at "my server", or a forged report)
    const elsewhere = await report({
      exercise: 'get-404',
      passed: false,
      miss: { kind: 'response-differs', request: 'GET /api/v1/users/424242', status: 200, differs: 'status' },
    });
    expect(await elsewhere.json()).toEqual({ result: null, counted: false, why: 'not-reached' });
    // one that did reach it is counted
    await fetch(`${server.origin}/api/v1/users/1`, { headers: { cookie } });
    const reached = await report({
      exercise: 'get-404',
      passed: false,
      miss: { kind: 'response-differs', request: 'GET /api/v1/users/1', status: 200, differs: 'status' },
    });
    expect(((await reached.json()) as { result: unknown }).result).not.toBeNull();
    expect((await attempts()).length).toBe(before + 1);
  });

  it('keeps a pass made while the class had ended for its reopening, and a miss during a freeze is not the student’s', async () => {
    const teacherCall = (method: string, path: string) =>
      fetch(`${server.origin}/_wirelab/class/classes/${code}${path}`, { method, headers: teacher, body: '{}' });
    expect((await teacherCall('POST', '/end')).status).toBe(200);
    await fetch(`${server.origin}/api/v1/users/999999`, { headers: { cookie } });
    const whileEnded = await report({ exercise: 'get-404', passed: true });
    expect(whileEnded.status).toBe(403);
    expect(((await whileEnded.json()) as { error: string }).error).toBe('CLASS_ENDED');
    expect((await teacherCall('POST', '/reopen')).status).toBe(200);
    // the page sends it again when the class-status says the class reopened (student-class.ts): the captures still hold it
    const again = await report({ exercise: 'get-404', passed: true });
    expect(((await again.json()) as { verdict: unknown }).verdict).toEqual({ passed: true });
    expect(await passedOnBoard()).toContain(`${LESSON}/get-404`);

    expect((await teacherCall('PUT', '/freeze')).status).toBe(200);
    const frozenMiss = await report({
      exercise: 'ask-options',
      passed: false,
      miss: { kind: 'response-differs', request: 'POST /api/v1/users', status: 423, differs: 'status' },
    });
    expect(await frozenMiss.json()).toEqual({ result: null, counted: false, why: 'frozen' });
    expect((await teacherCall('DELETE', '/freeze')).status).toBe(200);
    const rows = (await board()).members[0].results;
    expect(rows.find((row) => row.exercise === 'ask-options')).toBeUndefined();
  });

  it('judges message checks too, from real streams: a resumed SSE stream’s missed event, a health watch open through both switches', async () => {
    const sse = async (lastEventId?: string) => {
      const abort = new AbortController();
      const response = await fetch(`${server.origin}/api/v1/events`, {
        headers: { cookie, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
        signal: abort.signal,
      });
      const reader = response.body!.getReader();
      let text = '';
      const until = async (pattern: RegExp): Promise<RegExpExecArray> => {
        for (;;) {
          const found = pattern.exec(text);
          if (found) return found;
          const { value } = await reader.read();
          text += new TextDecoder().decode(value);
        }
      };
      return { until, close: () => abort.abort() };
    };
    const first = await sse();
    await fetch(`${server.origin}/api/v1/users`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Live', email: `live-${Date.now()}@example.com` }),
    });
    const [, seenId] = await first.until(/id: (\S+)\nevent: user\.created/);
    first.close();
    const missed = `missed-${Date.now()}@example.com`;
    await fetch(`${server.origin}/api/v1/users`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Missed', email: missed }),
    });
    const resumed = await sse(seenId);
    await resumed.until(new RegExp(missed.replace(/[.]/g, '\\.')));
    resumed.close();
    await expect
      .poll(
        async () =>
          ((await (await report({ lesson: SSE_LESSON, exercise: 'resume', passed: true }, member)).json()) as { verdict: { passed: boolean } }).verdict.passed,
        { timeout: 5000 },
      )
      .toBe(true);

    // lesson 04: the Connect JSON watch stays open while the service goes NOT_SERVING and back
    const envelope = (message: unknown) => {
      const body = Buffer.from(JSON.stringify(message));
      const head = Buffer.alloc(5);
      head.writeUInt32BE(body.length, 1);
      return Buffer.concat([head, body]);
    };
    const watching = new AbortController();
    const watch = await fetch(`${server.origin}/grpc.health.v1.Health/Watch`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/connect+json', 'connect-protocol-version': '1' },
      body: envelope({ service: 'wirelab.users.v1.UserService' }),
      signal: watching.signal,
    });
    expect(watch.status).toBe(200);
    const watchReader = watch.body!.getReader();
    let received = Buffer.alloc(0);
    const statuses = async (count: number): Promise<void> => {
      while ((received.toString('latin1').match(/"status"/g) ?? []).length < count) {
        const { value } = await watchReader.read();
        received = Buffer.concat([received, Buffer.from(value!)]);
      }
    };
    await statuses(1);
    const switchTo = (status: string) =>
      fetch(`${server.origin}/wirelab.lab.v1.LifecycleService/SetServingStatus`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', 'connect-protocol-version': '1' },
        body: JSON.stringify({ service: 'wirelab.users.v1.UserService', status }),
      });
    expect((await switchTo('NOT_SERVING')).status).toBe(200);
    await statuses(2);
    const grpcLesson = { lesson: 'grpc', exercise: 'watch-not-serving', passed: true };
    expect((await switchTo('SERVING')).status).toBe(200);
    await statuses(3);
    await expect.poll(async () => ((await (await report(grpcLesson)).json()) as { verdict: { passed: boolean } }).verdict.passed, { timeout: 5000 }).toBe(true);
    watching.abort();
  });
});
