// Servers a student writes by hand (tests/fixtures/student-servers/, Python with the standard
// library or Debian's packages), each with one realistic mistake the suites once let through
// (issue 51, item 2): every suite names the mistake, with the request that failed and words
// that teach (item 5). Each test asserts exactly which checks fail, so a check that starts
// failing a right part of these servers shows up as well.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckedProtocol, CheckReport } from '../../contracts/own-server/check-result.ts';
import { checkAsLoopbackStudent, failingIds, PYTHON, STARTERS, startStarterProcess } from './own-server-starters.ts';

const SERVERS = fileURLToPath(new URL('../fixtures/student-servers/', import.meta.url));
const stubs = mkdtempSync(join(tmpdir(), 'wirelab-student-stubs-'));
beforeAll(async () => {
  await promisify(execFile)(PYTHON, [`${STARTERS}generate_grpc_stubs.py`, stubs]);
});
afterAll(() => rmSync(stubs, { recursive: true, force: true }));

async function check(script: string, protocol: CheckedProtocol): Promise<CheckReport> {
  const server = await startStarterProcess(PYTHON, [`${SERVERS}${script}`, '--port', '0'], script, { GRPC_STUBS: stubs });
  try {
    return await checkAsLoopbackStudent(protocol, server.port);
  } finally {
    await server.stop();
  }
}

const resultOf = (report: CheckReport, id: string) => report.results.find((result) => result.id === id)!;

// a Python process starting and a whole suite under a busy CI: a ceiling, not a measurement
describe('hand-written student servers: each mistake is caught', { timeout: 60_000 }, () => {
  it('REST, validators compared as strings: "*", lists and W/ never match', async () => {
    const report = await check('rest_etag_as_string.py', 'rest');
    expect(failingIds(report)).toEqual([
      'if-match-list-put',
      'if-match-star-put',
      'if-none-match-list-304',
      'if-none-match-star-304',
      'if-none-match-weak-304',
    ]);
    expect(resultOf(report, 'if-match-star-put').difference?.en).toBe('status 412, not 200 or 204');
  });

  it('REST, paging links off by one: prev on page 1, last rounded down', async () => {
    const report = await check('rest_pages_off_by_one.py', 'rest');
    expect(failingIds(report)).toEqual(['pagination-first-page', 'pagination-last-page']);
    expect(resultOf(report, 'pagination-first-page').difference?.en).toMatch(/^page 1 has rel="prev" \(<\/api\/v1\/users\?page=0&limit=1>\)/);
  });

  it('SSE, a stream that breaks once events exist: "the stream ended", not missing fields', async () => {
    const report = await check('sse_history_crash.py', 'sse');
    // resuming from the latest event replays no history, so that one path still works
    expect(failingIds(report)).toEqual(['new-stream-after-events', 'resume-last-event-id']);
    const later = resultOf(report, 'new-stream-after-events');
    expect(later.difference?.en).toMatch(/^the stream ended: /);
    expect(later.difference?.ru).toMatch(/^поток закончился: /);
  });

  it('long polling, a poll that sleeps its whole timeout: not released by the event', async () => {
    const report = await check('long_poll_sleeps.py', 'long-polling');
    expect(failingIds(report)).toEqual(['released-by-event']);
    expect(resultOf(report, 'released-by-event').difference?.en).toContain('the server answers at its timeout');
  });

  it('WebSocket, an echo that parses text as JSON: the 1011 close says "your handler raised"', async () => {
    const report = await check('websocket_json_echo.py', 'websocket');
    const textEcho = resultOf(report, 'text-echo');
    expect(textEcho.outcome).toBe('fail');
    expect(textEcho.difference?.en).toContain('your handler raised an exception');
    expect(textEcho.difference?.ru).toContain('ваш обработчик выбросил исключение');
    // every check that sends a text message other than JSON; binary, pings and closes work
    expect(failingIds(report)).toEqual([
      'empty-text-echo',
      'fragmented-echo',
      'ping-between-fragments',
      'reserved-control-opcode-1002',
      'rsv2-after-echo-1002',
      'text-125-bytes',
      'text-126-bytes-16-bit-length',
      'text-echo',
      'utf8-in-one-byte-fragments',
      'utf8-noncharacter-echoed',
    ]);
    // each says the handler raised: by its 1011 close, or, when the server's reset swallowed that
    // close (a frame of the check's still unread as it closed), by the connection ending unanswered
    for (const id of failingIds(report)) expect(resultOf(report, id).difference?.en, id).toContain('your handler raised an exception');
  });

  it('gRPC, CreateUser that checks the name alone: the email is caught on its own', async () => {
    const report = await check('grpc_validates_name_only.py', 'grpc');
    expect(failingIds(report)).toEqual(['create-user-bad-email-invalid']);
  });
});
