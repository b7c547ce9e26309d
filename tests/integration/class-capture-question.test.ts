// A question about a lesson's capture file on the class board (issue 52 item 4): lesson 04's
// `find-trailers` asks which frame carried the trailers of the call that ended NOT_FOUND in
// lessons/04-grpc/captures/grpc-not-found.pcapng. The page sends the frame the student clicked as
// `answer` (messagePick); the server judges it over the same file — read from the lesson's folder,
// as the production copy carries it — whatever it captured of the student's session: a right pick
// passes and shows on the board, a wrong one is refused and counts one miss with the answer, a
// report with no answer counts nothing.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Board, BoardResult } from '../../contracts/class-channel/messages.ts';
import { attemptMissOf } from '../../contracts/exercise-checks/attempt-miss.ts';
import { trafficOfCaptureFile } from '../../contracts/exercise-checks/capture-file-traffic.ts';
import { evaluateCaptureAsk, messagePick, type CaptureQuestion } from '../../contracts/exercise-checks/capture-question.ts';
import type { CheckMiss } from '../../contracts/exercise-checks/check-types.ts';
import { matchesMessage } from '../../contracts/exercise-checks/evaluate-check.ts';
import { newSessionCookie, post } from './classroom-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

const KEY = 'capture-question-teacher-key';
const teacher = { 'x-wirelab-teacher-key': KEY, 'content-type': 'application/json' };
const LESSON = 'lessons/04-grpc';
const question = (JSON.parse(readFileSync(`${LESSON}/lesson.json`, 'utf8')) as { exercises: Record<string, { check: CaptureQuestion }> }).exercises[
  'find-trailers'
].check;
const traffic = trafficOfCaptureFile(new Uint8Array(readFileSync(`${LESSON}/${question.file}`)))!;
const match = question.ask.type === 'pick-message' ? question.ask.match : null;
/** The trailers frame the question asks for, as the inspector's click names it. */
const rightPick = messagePick(traffic.messages.find((message) => match !== null && matchesMessage(match, message))!);
/** The plausible wrong click: the other call's trailers (HEADERS with END_STREAM, grpc-status 0). */
const wrongPick = messagePick(
  traffic.messages.find(
    (message) =>
      message.layer === 'h2-frame' &&
      message.dir === 'out' &&
      message.fields?.type === 'HEADERS' &&
      message.fields?.endStream === true &&
      message.fields?.grpcStatus !== 5,
  )!,
);

describe('a question about a lesson’s capture file, judged by the server and counted on the board', () => {
  let server: RunningServer;
  let code = '';

  const board = async (): Promise<Board> =>
    (await fetch(`${server.origin}/_wirelab/class/classes/${code}/board`, { headers: teacher })).json() as Promise<Board>;
  const resultOf = async (name: string): Promise<BoardResult | undefined> =>
    (await board()).members.find((member) => member.name === name)?.results.find((result) => result.lesson === 'grpc' && result.exercise === 'find-trailers');
  /** A member; `cookie` false: a browser the server captured nothing of (recording off, another instance's student). */
  const join = async (name: string, cookie: boolean): Promise<Record<string, string>> => {
    const session: Record<string, string> = cookie ? { cookie: await newSessionCookie(server.origin) } : {};
    const joined = await post(server.origin, '/_wirelab/class/join', { code, name }, { 'content-type': 'application/json', ...session });
    const { memberToken } = (await joined.json()) as { memberToken: string };
    return { 'content-type': 'application/json', 'x-wirelab-member': memberToken, ...session };
  };
  /** The report the card sends: a pass asks for the server's verdict; a miss is what the card showed, with the answer. */
  const report = async (member: Record<string, string>, answer: string | undefined, passed: boolean): Promise<Record<string, unknown>> => {
    const shown = evaluateCaptureAsk(question.ask, traffic, answer);
    const miss: CheckMiss | null = shown.passed ? null : shown.miss;
    const body = {
      lesson: 'grpc',
      exercise: 'find-trailers',
      passed,
      ...(answer !== undefined ? { answer } : {}),
      ...(!passed && miss ? { miss: attemptMissOf(miss) } : {}),
    };
    const answered = await post(server.origin, '/_wirelab/class/progress', body, member);
    expect(answered.status).toBe(200);
    return (await answered.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    server = await startServer({ classroom: { teacherKey: KEY } });
    code = ((await (await post(server.origin, '/_wirelab/class/classes', { title: 'Записи' }, teacher)).json()) as { code: string }).code;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('the lesson’s question has one right frame and a wrong one to click', () => {
    expect(question).toMatchObject({ type: 'capture', ask: { type: 'pick-message' } });
    expect(rightPick).toMatch(/^message \S+ h2-frame out \d+$/);
    expect(wrongPick).not.toBe(rightPick);
  });

  it('counts nothing for no answer, one miss with the answer for a wrong pick, and passes the right pick on the board and in its CSV', async () => {
    const vera = await join('Вера', true);
    expect(await report(vera, undefined, false)).toEqual({ result: null, counted: false, why: 'no-answer' });
    expect(await report(vera, '', false)).toEqual({ result: null, counted: false, why: 'no-answer' });
    expect(await resultOf('Вера')).toBeUndefined();

    const counted = { kind: 'wrong-capture-answer', answer: wrongPick };
    expect(await report(vera, wrongPick, false)).toMatchObject({ counted: true, miss: counted, result: { attempts: 1, passedMs: null } });
    // a pass the page claims for the wrong frame is the server's to refuse
    expect(await report(vera, wrongPick, true)).toEqual({ result: null, verdict: { passed: false, why: 'not-seen' } });
    expect(await resultOf('Вера')).toMatchObject({ attempts: 1, passedMs: null, misses: [counted] });

    expect(await report(vera, rightPick, true)).toMatchObject({ verdict: { passed: true }, result: { passedMs: expect.any(Number) } });
    expect(await resultOf('Вера')).toMatchObject({ passedMs: expect.any(Number), misses: [counted] });
    // passed: the same wrong click again is no miss
    expect(await report(vera, wrongPick, false)).toEqual({ result: null, counted: false, why: 'passed' });

    const csv = await (await fetch(`${server.origin}/_wirelab/class/classes/${code}/export.csv`, { headers: teacher })).text();
    const [header, ...rows] = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const columns = header.split(',');
    const row = rows.find((line) => line.startsWith('Вера,') && line.includes(',find-trailers,'))!.split(',');
    expect(row[columns.indexOf('passed')]).toBe('yes');
    expect(row[columns.indexOf('misses')]).toBe(`a wrong answer about the capture: “${wrongPick}”`);
    expect(row[columns.indexOf('misses_ru')]).toBe(`неверный ответ по записи: «${wrongPick}»`);
  });

  it('judges a student the server captured nothing of the same way: no no-captures', async () => {
    const oleg = await join('Олег', false);
    expect(await report(oleg, wrongPick, true)).toEqual({ result: null, verdict: { passed: false, why: 'not-seen' } });
    expect(await report(oleg, wrongPick, false)).toMatchObject({ counted: true, miss: { kind: 'wrong-capture-answer', answer: wrongPick } });
    expect(await report(oleg, rightPick, true)).toMatchObject({ verdict: { passed: true } });
    expect(await resultOf('Олег')).toMatchObject({ attempts: 2, passedMs: expect.any(Number) });
  });
});
