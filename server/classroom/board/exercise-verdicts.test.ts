import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { trafficOfCaptureFile } from '../../../contracts/exercise-checks/capture-file-traffic.ts';
import { messagePick, type CaptureQuestion } from '../../../contracts/exercise-checks/capture-question.ts';
import type { Check } from '../../../contracts/exercise-checks/check-types.ts';
import { LessonCatalog } from '../names/lesson-catalog.ts';
import { CaptureQuestionFiles } from './capture-question-files.ts';
import { ExerciseVerdicts } from './exercise-verdicts.ts';

// A question about a capture file, judged by the server over that file: a lesson whose folder is
// wire/capture-file/fixtures/ and whose question asks for grpc-python.pcapng's trailers frame.
const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../wire/capture-file/fixtures');
const trailers = { layer: 'h2-frame', dir: 'out' as const, fields: { type: 'HEADERS', endStream: true } };
const question: CaptureQuestion = { type: 'capture', file: 'grpc-python.pcapng', ask: { type: 'pick-message', match: trailers } };
const traffic = trafficOfCaptureFile(new Uint8Array(readFileSync(resolve(FIXTURES, 'grpc-python.pcapng'))))!;
const rightPick = messagePick(
  traffic.messages.find(
    (message) => message.layer === 'h2-frame' && message.dir === 'out' && message.fields?.endStream === true && message.fields?.type === 'HEADERS',
  )!,
);
const wrongPick = messagePick(traffic.messages.find((message) => message.layer === 'h2-frame' && message.fields?.type === 'SETTINGS')!);

function verdictsOver(checks: Record<string, Check>, files = new CaptureQuestionFiles()) {
  const catalog = new LessonCatalog(new Map([['grpc', new Map(Object.entries(checks))]]), new Map(), new Map([['grpc', FIXTURES]]));
  let askedElsewhere = 0;
  const elsewhere = async () => {
    askedElsewhere++;
    return { connections: [], chunks: [] };
  };
  // no captures at all (recording off, or another instance): a capture question needs none
  return { verdicts: new ExerciseVerdicts(null, catalog, null, elsewhere, files), askedElsewhere: () => askedElsewhere };
}

describe('ExerciseVerdicts on a question about a lesson’s capture file', () => {
  it('passes the right pick and refuses a wrong one, with no captures of the session, and never asks the other instances', async () => {
    const { verdicts, askedElsewhere } = verdictsOver({ 'find-trailers': question });
    expect(verdicts.verdict(null, 'grpc', 'find-trailers', rightPick)).toEqual({ passed: true });
    expect(await verdicts.verdictAnywhere('some-session', 'grpc', 'find-trailers', rightPick)).toEqual({ passed: true });
    expect(await verdicts.verdictAnywhere('some-session', 'grpc', 'find-trailers', wrongPick)).toEqual({ passed: false, why: 'not-seen' });
    expect(await verdicts.verdictAnywhere('some-session', 'grpc', 'find-trailers', undefined)).toEqual({ passed: false, why: 'not-seen' });
    expect(askedElsewhere()).toBe(0);
  });

  it('counts a wrong pick as a miss with the answer, nothing for no answer, and a right one as passed', () => {
    const { verdicts } = verdictsOver({ 'find-trailers': question });
    expect(verdicts.miss('s', 'grpc', 'find-trailers', wrongPick, null)).toEqual({ counted: true, miss: { kind: 'wrong-capture-answer', answer: wrongPick } });
    expect(verdicts.miss(null, 'grpc', 'find-trailers', 'message c99 h2-frame out 0', null)).toMatchObject({ counted: true });
    expect(verdicts.miss('s', 'grpc', 'find-trailers', undefined, null)).toEqual({ counted: false, why: 'no-answer' });
    expect(verdicts.miss('s', 'grpc', 'find-trailers', '  ', null)).toEqual({ counted: false, why: 'no-answer' });
    expect(verdicts.miss('s', 'grpc', 'find-trailers', rightPick, { conn: 'c1', index: 0 })).toEqual({ counted: false, why: 'passed' });
  });

  it('counts a typed value that differs from the capture’s, not one the capture holds', () => {
    const status: CaptureQuestion = {
      type: 'capture',
      file: 'grpc-python.pcapng',
      ask: { type: 'answer', exchange: { request: { path: '^/' } }, expect: { from: 'response-header', name: 'content-type' } },
    };
    const contentType = traffic.exchanges[0].response!.headers.find(([name]) => name === 'content-type')![1];
    const { verdicts } = verdictsOver({ 'content-type': status });
    expect(verdicts.verdict(null, 'grpc', 'content-type', contentType)).toEqual({ passed: true });
    expect(verdicts.miss(null, 'grpc', 'content-type', 'text/html', null)).toEqual({
      counted: true,
      miss: { kind: 'wrong-capture-answer', answer: 'text/html' },
    });
  });

  it('decodes a file once for every question and session, and a file it cannot read passes no one and counts no miss', () => {
    const reads: string[] = [];
    const unreadable: string[] = [];
    const files = new CaptureQuestionFiles(
      (file) => unreadable.push(file),
      (file) => {
        reads.push(file);
        return new Uint8Array(readFileSync(file));
      },
    );
    const { verdicts } = verdictsOver({ 'find-trailers': question, 'find-nothing': { ...question, file: 'missing.pcapng' } }, files);
    for (const session of ['a', 'b', null]) expect(verdicts.verdict(session, 'grpc', 'find-trailers', rightPick)).toEqual({ passed: true });
    verdicts.miss('a', 'grpc', 'find-trailers', wrongPick, null);
    expect(reads).toEqual([resolve(FIXTURES, 'grpc-python.pcapng')]);
    expect(verdicts.verdict('a', 'grpc', 'find-nothing', rightPick)).toEqual({ passed: false, why: 'not-seen' });
    expect(verdicts.miss('a', 'grpc', 'find-nothing', wrongPick, null)).toEqual({ counted: false, why: 'unfinished' });
    expect(unreadable).toEqual([resolve(FIXTURES, 'missing.pcapng')]);
  });
});
