import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateCheck } from '../contracts/exercise-checks/evaluate-check.ts';
import { decodeConnection } from '../wire/decode-connection.ts';
import { decodeChunk, type CaptureFixture } from '../wire/fixtures/read-fixture.ts';
import type { LessonJson } from '../web/lessons/lesson-types.ts';

// Real bytes of the Wirelab server's /api/v1/events (wire/sse/fixtures/sse-stream.json, recorded by
// tests/fixture-recorders/capture-sse-fixture.ts): lesson 08's exercises judged on them as the server judges.
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'wire', 'sse', 'fixtures', 'sse-stream.json'), 'utf8')) as CaptureFixture;
const chunks = fixture.chunks.map(decodeChunk);
const decoded = fixture.connections.map((connection) =>
  decodeConnection(
    connection,
    chunks.filter((chunk) => chunk.conn === connection.id),
  ),
);

describe('lesson 08 on a real SSE stream of the Wirelab server', () => {
  it('passes lesson 08’s message exercises on these bytes', () => {
    const lesson = JSON.parse(readFileSync(join(import.meta.dirname, '08-server-sent-events', 'lesson.json'), 'utf8')) as LessonJson;
    const messages = decoded.flatMap((connection) => connection.messages ?? []);
    const exchanges = decoded.flatMap((connection) => connection.exchanges);
    for (const id of ['see-user-created', 'heartbeat-comment']) {
      expect(evaluateCheck(lesson.exercises[id].check, exchanges, undefined, messages).passed, id).toBe(true);
    }
    // the resume exercise needs the POST in between, which is on another connection: without it, no pass
    expect(evaluateCheck(lesson.exercises.resume.check, exchanges, undefined, messages).passed).toBe(false);
  });
});
