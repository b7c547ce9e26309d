import { describe, expect, it } from 'vitest';
import { boardToCsv } from './board-csv.ts';

describe('boardToCsv', () => {
  it('writes one row per tried exercise, with what each miss was in both languages, and one for a student who tried none', () => {
    const csv = boardToCsv({
      code: 'K7FM3Q',
      title: 'A',
      now: 0,
      status: { endedMs: null, notice: null, timer: null, assignment: null, frozenMs: null },
      history: [],
      members: [
        {
          id: 1,
          name: 'Анна, 2 группа',
          rejoinCode: 'AAAAAA',
          joinedMs: 0,
          lastActiveMs: 60_000,
          online: true,
          following: true,
          watching: false,
          place: null,
          waits: null,
          results: [
            {
              lesson: '01-rest',
              exercise: 'get-user',
              attempts: 3,
              passedMs: 30_000,
              lastMs: 30_000,
              misses: [
                { kind: 'response-differs', request: 'DELETE /api/v1/users/999', status: 404, differs: 'status' },
                { kind: 'wrong-answer', request: 'POST /api/v1/users', status: 422 },
              ],
            },
            {
              lesson: 'grpc',
              exercise: 'find-trailers',
              attempts: 1,
              passedMs: null,
              lastMs: 40_000,
              misses: [{ kind: 'wrong-capture-answer', answer: 'message c1 h2-frame out 9' }],
            },
          ],
          servers: [
            { protocol: 'rest', ms: 1, passed: 16, failed: 0, notOffered: 0, failedIds: [], targetIsWirelab: true, port: 8080 },
            {
              protocol: 'grpc',
              ms: 2,
              passed: 5,
              failed: 2,
              notOffered: 3,
              failedIds: ['deadline-exceeded', 'health-serving'],
              targetIsWirelab: false,
              port: 50051,
            },
          ],
        },
        {
          id: 2,
          name: '=HYPERLINK("x")',
          rejoinCode: 'AAAAAA',
          joinedMs: 1000,
          lastActiveMs: 1000,
          online: false,
          following: false,
          watching: false,
          place: null,
          waits: null,
          results: [],
          servers: [],
        },
      ],
    });
    // a UTF-8 byte order mark first: Excel reads "Анна" as UTF-8 only with it
    expect(csv.startsWith('\uFEFFname,')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      'name,lesson,exercise,passed,attempts,passed_at,last_attempt_at,joined_at,last_active_at,own_server,misses,misses_ru',
      '"Анна, 2 группа",01-rest,get-user,yes,3,1970-01-01T00:00:30.000Z,1970-01-01T00:00:30.000Z,1970-01-01T00:00:00.000Z,1970-01-01T00:01:00.000Z,REST 16/16 ✓ (Wirelab itself); gRPC 5/10 (failed: deadline-exceeded health-serving),' +
        'DELETE /api/v1/users/999 → 404: a different status; POST /api/v1/users → 422: the typed answer differs from the response,' +
        'DELETE /api/v1/users/999 → 404: другой код статуса; POST /api/v1/users → 422: введённый ответ не совпадает с ответом сервера',
      '"Анна, 2 группа",grpc,find-trailers,no,1,,1970-01-01T00:00:40.000Z,1970-01-01T00:00:00.000Z,1970-01-01T00:01:00.000Z,REST 16/16 ✓ (Wirelab itself); gRPC 5/10 (failed: deadline-exceeded health-serving),' +
        'a wrong answer about the capture: “message c1 h2-frame out 9”,неверный ответ по записи: «message c1 h2-frame out 9»',
      `"'=HYPERLINK(""x"")",,,,,,,1970-01-01T00:00:01.000Z,1970-01-01T00:00:01.000Z,,,`,
      '',
    ]);
  });
});
