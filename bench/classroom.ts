// npm run bench (classroom part): one server process, N followers of one class over the class
// channel (1 000 by default), all in this one client process. Measures the time from the
// teacher's navigation, and from a teacher's cell run (a real request whose captured bytes the
// relay carries), to the last follower having it; the server's memory per follower; and the
// progress reports per second the server absorbs with the teacher's board open.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import WebSocket from 'ws';
import { percentile, startBenchServer } from './bench-process.ts';

/** The REST lesson's exercises: the server refuses results for any other (server/classroom/names/lesson-catalog.ts). */
const REST_EXERCISES = Object.keys(
  (JSON.parse(readFileSync(new URL('../lessons/02-rest/lesson.json', import.meta.url), 'utf8')) as { exercises: Record<string, unknown> }).exercises,
);

const FOLLOWERS = Number(process.env.BENCH_CLASS_FOLLOWERS ?? 1000);
const ROUNDS = Number(process.env.BENCH_CLASS_ROUNDS ?? 20);
const REPORT_SECONDS = Number(process.env.BENCH_CLASS_REPORT_SECONDS ?? 5);
const KEY = 'bench-teacher-key';
const BATCH = 100;

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
}

async function memoryOf(child: ChildProcess): Promise<Memory> {
  child.send({ type: 'memory' });
  for (;;) {
    const [message] = (await once(child, 'message')) as [{ type: string; usage: Memory }];
    if (message.type === 'memory') return message.usage;
  }
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${url} → ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

interface Follower {
  socket: WebSocket;
  token: string;
  /** section → when it arrived */
  navigations: Map<string, number>;
  /** marker → when a teacher-wire frame holding it arrived */
  frames: Map<string, number>;
  markers: Set<string>;
}

function follow(wsOrigin: string, token: string, markers: Set<string>): Promise<Follower> {
  const socket = new WebSocket(`${wsOrigin}/_wirelab/class/channel`);
  const follower: Follower = { socket, token, navigations: new Map(), frames: new Map(), markers };
  socket.on('message', (raw, binary) => {
    const at = performance.now();
    if (binary) {
      const text = (raw as Buffer).toString('latin1');
      for (const marker of follower.markers) if (!follower.frames.has(marker) && text.includes(marker)) follower.frames.set(marker, at);
      return;
    }
    const message = JSON.parse(String(raw)) as { type: string; section?: string };
    if (message.type === 'navigate' && message.section) follower.navigations.set(message.section, at);
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => {
      socket.send(JSON.stringify({ type: 'hello', role: 'student', token, following: true }));
      socket.once('message', () => resolve(follower));
    });
    socket.once('error', reject);
  });
}

async function waitFor(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting for the followers');
    await delay(2);
  }
}

const summary = (sample: number[]) => {
  const sorted = [...sample].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms`;
};

const { child, origin } = await startBenchServer({ tap: true, memoryProbe: true });
const wsOrigin = origin.replace('http', 'ws');
const followers: Follower[] = [];
const markers = new Set<string>();
try {
  const teacherHeaders = { 'x-wirelab-teacher-key': KEY };
  const { code } = (await postJson(`${origin}/_wirelab/class/classes`, { title: 'bench' }, teacherHeaders)) as { code: string };
  const tokens: string[] = [];
  for (let first = 0; first < FOLLOWERS; first += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, FOLLOWERS - first) }, (_, index) =>
      postJson(`${origin}/_wirelab/class/join`, { code, name: `Student ${first + index}` }),
    );
    tokens.push(...(await Promise.all(batch)).map((joined) => joined.memberToken as string));
  }

  // The teacher: a browser session (its traffic is what followers get), leading and watching.
  const sessionCookie = (await fetch(`${origin}/_wirelab/session`)).headers.get('set-cookie')!.split(';')[0];
  const teacher = new WebSocket(`${wsOrigin}/_wirelab/class/channel`, { headers: { cookie: sessionCookie } });
  await once(teacher, 'open');
  teacher.send(JSON.stringify({ type: 'hello', role: 'teacher', key: KEY }));
  teacher.send(JSON.stringify({ type: 'lead', code }));
  teacher.send(JSON.stringify({ type: 'watch', code }));
  let boards = 0;
  teacher.on('message', (raw) => {
    if (String(raw).startsWith('{"type":"board"')) boards += 1;
  });

  const warm = await follow(wsOrigin, tokens[0], markers);
  warm.socket.close();
  await once(warm.socket, 'close');
  const before = await memoryOf(child);
  for (let first = 0; first < FOLLOWERS; first += BATCH) {
    followers.push(...(await Promise.all(tokens.slice(first, first + BATCH).map((token) => follow(wsOrigin, token, markers)))));
  }
  await delay(1000);
  const after = await memoryOf(child);

  const navigationLast: number[] = [];
  const navigationEach: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const section = `section-${round}`;
    const sentAt = performance.now();
    teacher.send(JSON.stringify({ type: 'navigate', lesson: 'rest', section }));
    await waitFor(() => followers.every((follower) => follower.navigations.has(section)));
    const arrivals = followers.map((follower) => follower.navigations.get(section)! - sentAt);
    navigationEach.push(...arrivals);
    navigationLast.push(Math.max(...arrivals));
  }

  const runLast: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const marker = `bench-run-${round}-${Date.now()}`;
    markers.add(marker);
    const sentAt = performance.now();
    await (await fetch(`${origin}/api/v1/users/1?${marker}`, { headers: { cookie: sessionCookie } })).text();
    await waitFor(() => followers.every((follower) => follower.frames.has(marker)));
    runLast.push(Math.max(...followers.map((follower) => follower.frames.get(marker)! - sentAt)));
  }

  // Progress reports from every student, 50 at a time, with the board open; and, as the
  // baseline of this run on this machine, the REST read with the same 50 lanes.
  const perSecond = async (once: (index: number) => Promise<unknown>): Promise<number> => {
    let done = 0;
    const startedAt = performance.now();
    const until = startedAt + REPORT_SECONDS * 1000;
    await Promise.all(
      Array.from({ length: 50 }, async (_, lane) => {
        for (let index = lane; performance.now() < until; index += 50) {
          await once(index);
          done += 1;
        }
      }),
    );
    return done / ((performance.now() - startedAt) / 1000);
  };
  const restRate = await perSecond(async () => (await fetch(`${origin}/api/v1/users/1`)).text());
  const reportRate = await perSecond((index) =>
    postJson(
      `${origin}/_wirelab/class/progress`,
      { lesson: 'rest', exercise: REST_EXERCISES[index % REST_EXERCISES.length], passed: index % 3 === 0 },
      { 'x-wirelab-member': tokens[index % tokens.length] },
    ),
  );

  const perFollower = (after.rss - before.rss) / FOLLOWERS;
  const heapPerFollower = (after.heapUsed + after.external - before.heapUsed - before.external) / FOLLOWERS;
  console.log(`Classroom: ${FOLLOWERS} followers of one class on one server process (tap recording), ${ROUNDS} rounds`);
  console.log(`  teacher navigation → last follower: ${summary(navigationLast)}; every follower: ${summary(navigationEach)}`);
  console.log(`  teacher cell run (GET /api/v1/users/1, relayed bytes) → last follower: ${summary(runLast)}`);
  console.log(`  memory per follower: ${(perFollower / 1024).toFixed(1)} KiB RSS (${(heapPerFollower / 1024).toFixed(1)} KiB heap + external)`);
  console.log(
    `  progress reports absorbed with the board open: ${Math.round(reportRate)} per second, ${(reportRate / restRate).toFixed(2)} of GET /api/v1/users/1's ${Math.round(restRate)} per second in this run (${boards} board pushes to the teacher)`,
  );
  teacher.close();
} finally {
  for (const follower of followers) follower.socket.terminate();
  child.kill('SIGTERM');
  await once(child, 'exit');
}
