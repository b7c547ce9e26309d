// No miss for honest work (issue 51, item 3): a miss is an attempt that reached the server and was
// wrong for the exercise's question, and the server decides it from its own captures. The honest
// walk of a class: the first DELETE of "delete twice" (a step the exercise requires) and the
// placeholder ETag of "get 304" are no misses; the close 1009 on the shared WebSocket console is no
// miss of "client close"; a really wrong request counts exactly one miss, and the board and its CSV
// say what it was. Each report is the one the page sends: its card evaluates the same check over
// the same bytes (here decoded from the server's capture, as the inspector decodes them) and names
// the exchange or message its miss is about.
import { readFileSync, readdirSync } from 'node:fs';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Board, BoardResult } from '../../contracts/class-channel/messages.ts';
import { attemptMissOf, attemptRefOf } from '../../contracts/exercise-checks/attempt-miss.ts';
import { trafficOfCaptures } from '../../contracts/exercise-checks/captured-traffic.ts';
import type { Check, CheckMiss } from '../../contracts/exercise-checks/check-types.ts';
import { evaluateCheck } from '../../contracts/exercise-checks/evaluate-check.ts';
import { wirelabOwnTraffic } from '../../contracts/exercise-checks/wirelab-traffic.ts';
import { newSessionCookie, post } from './classroom-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

const KEY = 'honest-misses-teacher-key';
const teacher = { 'x-wirelab-teacher-key': KEY, 'content-type': 'application/json' };

/** lesson.json's check of `<slug>/<exercise>` (lesson folders are `<nn>-<slug>`). */
function checkOf(slug: string, exercise: string): Check {
  const folder = readdirSync('lessons').find((name) => name.replace(/^\d+-/, '') === slug)!;
  return (JSON.parse(readFileSync(`lessons/${folder}/lesson.json`, 'utf8')) as { exercises: Record<string, { check: Check }> }).exercises[exercise].check;
}

describe('no miss for honest work: the server decides what counts (issue 51)', () => {
  let server: RunningServer;
  let code = '';
  let cookie = '';
  let member: Record<string, string> = {};

  const board = async (): Promise<Board> =>
    (await fetch(`${server.origin}/_wirelab/class/classes/${code}/board`, { headers: teacher })).json() as Promise<Board>;
  const resultOf = async (lesson: string, exercise: string): Promise<BoardResult | undefined> =>
    (await board()).members[0].results.find((result) => result.lesson === lesson && result.exercise === exercise);
  const report = async (body: Record<string, unknown>): Promise<Record<string, unknown>> =>
    (await post(server.origin, '/_wirelab/class/progress', body, member)).json() as Promise<Record<string, unknown>>;

  /** The card's miss over this browser's traffic now: what the page shows (null once it passes). */
  const cardMiss = (lesson: string, exercise: string): CheckMiss | null => {
    const captured = server.app.captures!.capturedOf(cookie.split('=')[1])!.read();
    const outbound = new Set(captured.connections.filter((connection) => connection.outbound).map((connection) => connection.id));
    const traffic = wirelabOwnTraffic(trafficOfCaptures(captured.connections, captured.chunks), (conn) => outbound.has(conn));
    const result = evaluateCheck(checkOf(lesson, exercise), traffic.exchanges, undefined, traffic.messages);
    return result.passed ? null : result.miss;
  };
  /** The page's report of a miss it shows: what the check said, and the exchange or message it is about. */
  const reportMiss = (lesson: string, exercise: string, miss: CheckMiss) => {
    const attempt = attemptRefOf(miss);
    return report({ lesson, exercise, passed: false, miss: attemptMissOf(miss), ...(attempt ? { attempt } : {}) });
  };
  /** Waits until the card shows a miss of `kind` (the capture holds the bytes), then reports it as the page does. */
  const reportShownMiss = async (lesson: string, exercise: string, kind: CheckMiss['kind'], step?: number) => {
    await expect.poll(() => cardMiss(lesson, exercise)).toMatchObject({ kind, ...(step !== undefined ? { step } : {}) });
    return reportMiss(lesson, exercise, cardMiss(lesson, exercise)!);
  };
  const reportPass = async (lesson: string, exercise: string) => {
    await expect.poll(() => cardMiss(lesson, exercise)).toBeNull();
    return report({ lesson, exercise, passed: true });
  };

  beforeAll(async () => {
    server = await startServer({ classroom: { teacherKey: KEY } });
    code = ((await (await post(server.origin, '/_wirelab/class/classes', { title: 'Честная работа' }, teacher)).json()) as { code: string }).code;
    cookie = await newSessionCookie(server.origin);
    const joined = await post(server.origin, '/_wirelab/class/join', { code, name: 'Вера' }, { 'content-type': 'application/json', cookie });
    const { memberToken } = (await joined.json()) as { memberToken: string };
    member = { 'content-type': 'application/json', 'x-wirelab-member': memberToken, cookie };
  });
  afterAll(async () => {
    await server?.close();
  });

  it('counts no miss for a step the exercise requires: the first DELETE of "delete twice", the placeholder ETag of "get 304"', async () => {
    const remove = () => fetch(`${server.origin}/api/v1/users/12`, { method: 'DELETE', headers: { cookie } });
    expect((await remove()).status).toBe(204);
    // the card waits for the second DELETE (step 2 of 2) and says so; the server counts nothing
    expect(await reportShownMiss('rest', 'delete-twice', 'no-request', 1)).toEqual({ result: null, counted: false, why: 'unfinished' });
    expect(await resultOf('rest', 'delete-twice')).toBeUndefined();
    expect((await remove()).status).toBe(404);
    expect(await reportPass('rest', 'delete-twice')).toMatchObject({ verdict: { passed: true } });
    expect(await resultOf('rest', 'delete-twice')).toMatchObject({ attempts: 1, passedMs: expect.any(Number), misses: [] });

    // the cell as it stands: its If-None-Match is a placeholder, so the first run is the GET that brings the ETag
    const get = (etag: string) => fetch(`${server.origin}/api/v1/users/4`, { headers: { cookie, accept: 'application/json', 'if-none-match': etag } });
    const first = await get('"paste-the-etag-here"');
    expect(first.status).toBe(200);
    expect(await reportShownMiss('rest', 'get-304', 'no-request', 1)).toEqual({ result: null, counted: false, why: 'unfinished' });
    expect((await get(first.headers.get('etag')!)).status).toBe(304);
    expect(await reportPass('rest', 'get-304')).toMatchObject({ verdict: { passed: true } });
    expect(await resultOf('rest', 'get-304')).toMatchObject({ attempts: 1, misses: [] });
  });

  it('counts no close from an earlier exchange on the shared echo console against "client close"', async () => {
    const open = async (): Promise<WebSocket> => {
      const socket = new WebSocket(`${server.origin.replace('http', 'ws')}/ws/echo`, { headers: { cookie } });
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      return socket;
    };
    // close-1009 first: a message over the limit, the server closes 1009 and the console answers the close
    const tooBig = await open();
    const closed = new Promise<number>((resolve) => tooBig.once('close', resolve));
    tooBig.send('x'.repeat(64 * 1024));
    expect(await closed).toBe(1009);
    expect(await reportPass('websockets', 'close-1009')).toMatchObject({ verdict: { passed: true } });
    // "client close" sees the console's close answered by nothing after it: the card shows its step 2
    expect(await reportShownMiss('websockets', 'client-close', 'no-message', 1)).toEqual({ result: null, counted: false, why: 'unfinished' });
    expect(await resultOf('websockets', 'client-close')).toBeUndefined();
    // then the student closes from the console: the server answers, the exercise passes with no miss
    const mine = await open();
    const answered = new Promise<number>((resolve) => mine.once('close', resolve));
    mine.close(1000, 'done');
    expect(await answered).toBe(1000);
    expect(await reportPass('websockets', 'client-close')).toMatchObject({ verdict: { passed: true } });
    expect(await resultOf('websockets', 'client-close')).toMatchObject({ attempts: 1, misses: [] });
  });

  it('counts a really wrong attempt exactly once, with what it missed, on the board and in its CSV', async () => {
    // "get 405" asks for a method the path does not allow; a GET is allowed: 200, the wrong answer
    expect((await fetch(`${server.origin}/api/v1/users/1`, { headers: { cookie } })).status).toBe(200);
    const wrong = await reportShownMiss('rest', 'get-405', 'response-differs');
    const reason = { kind: 'response-differs', request: 'GET /api/v1/users/1', status: 200, differs: 'status' };
    expect(wrong).toMatchObject({ counted: true, miss: reason, result: { attempts: 1, passedMs: null } });
    // a report naming an exchange this server never received counts nothing
    expect(await report({ lesson: 'rest', exercise: 'get-405', passed: false, miss: reason, attempt: { conn: 'c999999', index: 0 } })).toEqual({
      result: null,
      counted: false,
      why: 'not-reached',
    });
    expect(await resultOf('rest', 'get-405')).toMatchObject({ attempts: 1, passedMs: null, misses: [reason] });

    const csv = await (await fetch(`${server.origin}/_wirelab/class/classes/${code}/export.csv`, { headers: teacher })).text();
    const [header, ...rows] = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const columns = header.split(',');
    const row = rows.find((line) => line.includes(',get-405,'))!.split(',');
    expect(row[columns.indexOf('attempts')]).toBe('1');
    expect(row[columns.indexOf('misses')]).toBe('GET /api/v1/users/1 → 200: a different status');
    expect(row[columns.indexOf('misses_ru')]).toBe('GET /api/v1/users/1 → 200: другой код статуса');
  });
});
