// The 40 well-behaved students of bench/soak.ts, in a process of their own (issue 54: the soak
// measures the server, not its load generator, so the students share neither the soak's event
// loop nor its priority). All behind one NAT address (127.0.0.2), each with a session the server
// issued and an open SSE stream, each running a REST, a GraphQL or a Connect call about once a
// second. The soak asks over IPC: 'cut' answers what the students got since the last cut (their
// latencies and what was refused) and starts counting anew; 'stop' ends them and exits.
// Usage: fork with IPC: node --import tsx bench/soak-students.ts <port> <students>
import { request as httpRequest, Agent } from 'node:http';

const port = Number(process.argv[2]);
const STUDENTS = Number(process.argv[3] ?? 40);
/** A student clicks Run about once a second, REST, GraphQL and Connect in turn. */
const THINK_MS = 1000;
const STUDENT_ADDRESS = '127.0.0.2';

export interface StudentsPhase {
  latencies: number[];
  refused: number;
  /** what the refused got: `<kind> <status>` → count (status 0: the connection failed) */
  statuses: Record<string, number>;
}

const newPhase = (): StudentsPhase => ({ latencies: [], refused: 0, statuses: {} });
let phase = newPhase();
let running = true;
function refuse(what: string): void {
  phase.refused += 1;
  phase.statuses[what] = (phase.statuses[what] ?? 0) + 1;
}

const agent = new Agent({ keepAlive: true, maxSockets: STUDENTS * 2, localAddress: STUDENT_ADDRESS });

/** One student request; `fresh`: on a new connection of its own, not one from the keep-alive pool. */
function timed(
  path: string,
  init: { method?: string; headers: Record<string, string>; body?: string },
  fresh = false,
): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const connection = fresh ? { agent: false as const, localAddress: STUDENT_ADDRESS } : { agent };
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers, ...connection }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.end(init.body);
  });
}

/** A session the server issued, asked for from the students' address as a page does on its first visit. */
function issuedSession(): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/_wirelab/session', localAddress: STUDENT_ADDRESS }, (response) => {
      response.resume();
      const session = /wirelab_session=([^;]+)/.exec(String(response.headers['set-cookie'] ?? ''))?.[1];
      if (session) resolve(session);
      else reject(new Error(`soak: no session cookie (${response.statusCode})`));
    });
    req.on('error', reject);
    req.end();
  });
}

const GRAPHQL_BODY = JSON.stringify({ query: '{ user(id: 1) { name posts(first: 3) { title } } }' });

async function student(index: number): Promise<void> {
  const cookie = `wirelab_session=${await issuedSession()}`;
  // Each student's page also holds an event stream, as a lesson's SSE cell does.
  const stream = httpRequest({ host: '127.0.0.1', port, path: '/api/v1/events', headers: { cookie }, localAddress: STUDENT_ADDRESS });
  stream.on('response', (response) => {
    if (response.statusCode !== 200) refuse(`SSE ${response.statusCode}`);
    response.resume();
  });
  stream.on('error', () => running && refuse('SSE 0'));
  stream.end();
  // Spread the class over the first second.
  await new Promise((resolve) => setTimeout(resolve, (index * THINK_MS) / STUDENTS));
  const ask = (kind: number, fresh = false) =>
    kind === 0
      ? timed('/api/v1/users?limit=5', { headers: { cookie } }, fresh)
      : kind === 1
        ? timed('/graphql', { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: GRAPHQL_BODY }, fresh)
        : timed('/wirelab.users.v1.UserService/GetUser', { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{"id":1}' }, fresh);
  for (let turn = 0; running; turn++) {
    const kind = turn % 3;
    let answer = await ask(kind);
    // A keep-alive connection the server closed as idle just as it was reused: a browser sends
    // the request again on a new connection, and so does this student (the time of both counts).
    // Not the pool's next one: on a host so loaded that the server ran its keep-alive timers late,
    // the next pooled connection may have been closed at the same moment.
    if (answer.status === 0) {
      const again = await ask(kind, true);
      answer = { status: again.status, ms: answer.ms + again.ms };
    }
    if (answer.status >= 200 && answer.status < 300) phase.latencies.push(answer.ms);
    else refuse(`${['REST', 'GraphQL', 'Connect'][kind]} ${answer.status}`);
    await new Promise((resolve) => setTimeout(resolve, THINK_MS));
  }
  stream.destroy();
}

const students = Array.from({ length: STUDENTS }, (_, i) => student(i));
process.on('message', (message: { type: 'cut' | 'stop'; id: number }) => {
  if (message.type === 'cut') {
    const measured = phase;
    phase = newPhase();
    process.send!({ type: 'cut', id: message.id, phase: measured });
    return;
  }
  running = false;
  void Promise.all(students).then(() => {
    agent.destroy();
    process.send!({ type: 'stop', id: message.id, phase }, () => process.exit(0));
  });
});
// The soak ended without a word (killed by a signal): a student process left behind would load the host.
process.on('disconnect', () => process.exit(0));
