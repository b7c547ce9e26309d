// The cost of blanking a session's secrets in its own captures on their way to its inspector
// (server/classroom/blanking/capture-blanker.ts), per request/response pair of a keep-alive REST
// connection like bench/run.ts's: the part of "recording + browser watching" that grew with issue
// 35. CPU per pair of this process, in rounds; `node --import tsx bench/capture-blanker.ts`.
import { CaptureBlanker } from '../server/classroom/blanking/capture-blanker.ts';
import type { CaptureMessage } from '../server/tap/capture-types.ts';

const PAIRS = Number(process.env.BENCH_BLANKER_PAIRS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SESSION = 'NQz08QBEeWtRFcJwqJpuXQok8svDejcGjm5ZZay8vk6w';
const TEACHER_KEY = 'tk_8f2b1c9d4e7a6b3c5d0e1f2a3b4c5d6e';

const request = Buffer.from(
  `GET /api/v1/users/1 HTTP/1.1\r\nhost: 127.0.0.1:40435\r\nconnection: keep-alive\r\ncookie: wirelab_session=${SESSION}\r\nuser-agent: autocannon\r\n\r\n`,
  'latin1',
);
const body = JSON.stringify({
  id: '1',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  createdAt: '2026-11-25T10:00:00.000Z',
  updatedAt: '2026-11-25T10:00:00.000Z',
});
const response = Buffer.from(
  `HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\netag: W/"1-3"\r\ncache-control: private, no-cache\r\nx-request-id: 4f1c\r\ncontent-length: ${body.length}\r\nDate: Wed, 25 Nov 2026 21:50:00 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=72\r\n\r\n${body}`,
  'latin1',
);

function chunk(seq: number, dir: 'in' | 'out', data: Buffer): CaptureMessage {
  return { type: 'chunk', chunk: { conn: 'c1', seq, dir, t: 0, offset: 0, data } };
}

function round(): number {
  const blanker = new CaptureBlanker(SESSION, [TEACHER_KEY], new Set(['Bearer wirelab-teacher']));
  blanker.apply({ type: 'connection', conn: { id: 'c1', transport: 'http/1.1', remote: '127.0.0.1:1', local: '127.0.0.1:2', openedAt: 0 } });
  const start = process.cpuUsage();
  let blanked = 0;
  for (let pair = 0; pair < PAIRS; pair += 1) {
    const sent = blanker.apply(chunk(2 * pair, 'in', request));
    const answered = blanker.apply(chunk(2 * pair + 1, 'out', response));
    if (sent.type === 'chunk' && sent.chunk.data !== request) blanked += 1;
    if (answered.type === 'chunk' && answered.chunk.data !== response) blanked += 1;
  }
  const used = process.cpuUsage(start);
  if (blanked !== PAIRS)
    throw new Error(`expected the cookie blanked in each of ${PAIRS} requests and nothing in the responses, got ${blanked} blanked chunks`);
  return (used.user + used.system) / PAIRS;
}

const rounds = Array.from({ length: ROUNDS }, round).sort((a, b) => a - b);
console.log(
  `capture blanker, HTTP/1.1 keep-alive GET with the session cookie: ${rounds[Math.floor(ROUNDS / 2)].toFixed(2)} µs of CPU per request/response pair (rounds ${rounds[0].toFixed(2)}–${rounds[ROUNDS - 1].toFixed(2)}, ${PAIRS} pairs each)`,
);
