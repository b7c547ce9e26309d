// What the capture ring (server/tap/chunk-ring.ts) costs per recorded chunk, with its storage in a
// Buffer of its own and in the hub's shared slabs (server/tap/ring-slabs.ts), in alternating rounds
// of one process: CPU time (process.cpuUsage()), which other work on the machine inflates less than
// wall time. Two loads: thousands of idle WebSocket sessions (a handshake, then pings and pongs:
// every ring grows in small steps, so its storage moves again and again) and one keep-alive REST
// connection (a request and its response, a ring that grows to its limit and then wraps).
// BENCH_RING_BEFORE=<path of another chunk-ring.ts> adds that ring, in a Buffer of its own, as a
// third case (an older version, to compare before and after a change).
// `node --import tsx bench/capture-ring.ts`
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { CapturedChunk } from '../server/tap/capture-types.ts';
import { ChunkRing } from '../server/tap/chunk-ring.ts';
import { defaultCaptureLimits } from '../server/tap/capture-hub.ts';
import { OWN_BUFFERS, RingSlabs, type RingStorage } from '../server/tap/ring-slabs.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SESSIONS = Number(process.env.BENCH_RING_SESSIONS ?? 2000);
/** pings (and their pongs) each idle session records in a round: 30 is five minutes of idleness */
const PINGS = 30;
const REST_PAIRS = Number(process.env.BENCH_RING_PAIRS ?? 50_000);

interface Ring {
  push(chunk: CapturedChunk): void;
  toArray(): CapturedChunk[];
  shrink(): number;
  readonly heldBytes: number;
}
type RingMaker = (storage: RingStorage) => Ring;

const handshake = Buffer.alloc(300, 0x47);
const switching = Buffer.alloc(170, 0x48);
const ping = Buffer.alloc(8, 0x89);
const pong = Buffer.alloc(12, 0x8a);
const request = Buffer.alloc(190, 0x52);
const response = Buffer.alloc(420, 0x53);

let seq = 0;
const chunkOf = (conn: string, dir: 'in' | 'out', offset: number, data: Buffer): CapturedChunk => ({ conn, seq: ++seq, dir, t: seq, offset, data });

/** CPU µs per chunk: SESSIONS idle sessions' rings, each given back at the end (a session forgotten). */
function idleSessions(make: RingMaker, storage: RingStorage): number {
  const start = process.cpuUsage();
  const rings = Array.from({ length: SESSIONS }, () => make(storage));
  for (const [n, ring] of rings.entries()) {
    ring.push(chunkOf(`c${n}`, 'in', 0, handshake));
    ring.push(chunkOf(`c${n}`, 'out', 0, switching));
  }
  for (let at = 0; at < PINGS; at++) {
    for (const [n, ring] of rings.entries()) {
      ring.push(chunkOf(`c${n}`, 'out', switching.length + at * ping.length, ping));
      ring.push(chunkOf(`c${n}`, 'in', handshake.length + at * pong.length, pong));
    }
  }
  let kept = 0;
  for (const ring of rings) kept += ring.toArray().length;
  for (const ring of rings) while (ring.heldBytes > 0) ring.shrink();
  const used = process.cpuUsage(start);
  if (kept !== SESSIONS * (2 + 2 * PINGS)) throw new Error(`idle sessions: ${kept} chunks kept, not ${SESSIONS * (2 + 2 * PINGS)}`);
  return (used.user + used.system) / (SESSIONS * (2 + 2 * PINGS));
}

/** CPU µs per chunk: one keep-alive REST connection's requests and responses, past its ring's limit. */
function restConnection(make: RingMaker, storage: RingStorage): number {
  const ring = make(storage);
  const start = process.cpuUsage();
  for (let pair = 0; pair < REST_PAIRS; pair++) {
    ring.push(chunkOf('c1', 'in', pair * request.length, request));
    ring.push(chunkOf('c1', 'out', pair * response.length, response));
  }
  const kept = ring.toArray().length;
  const used = process.cpuUsage(start);
  if (kept === 0 || kept > defaultCaptureLimits.ringChunks) throw new Error(`rest: ${kept} chunks kept`);
  return (used.user + used.system) / (2 * REST_PAIRS);
}

const limits = { ringBytes: defaultCaptureLimits.ringBytes, ringChunks: defaultCaptureLimits.ringChunks };
const cases: Array<{ name: string; make: RingMaker; storage: () => RingStorage }> = [
  { name: 'own Buffer', make: (storage) => new ChunkRing(limits, storage), storage: () => OWN_BUFFERS },
  { name: 'slabs', make: (storage) => new ChunkRing(limits, storage), storage: () => new RingSlabs() },
];
const before = process.env.BENCH_RING_BEFORE;
if (before) {
  const { ChunkRing: Before } = (await import(pathToFileURL(before).href)) as { ChunkRing: new (l: typeof limits) => Ring };
  cases.push({ name: 'before', make: () => new Before(limits), storage: () => OWN_BUFFERS });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const [load, run] of [
  ['idle WebSocket sessions', idleSessions],
  ['keep-alive REST connection', restConnection],
] as const) {
  const perCase = cases.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    // each round starts with another case, so none always runs first (warmer, or after a collection)
    for (let i = 0; i < cases.length; i++) {
      const index = (round + i) % cases.length;
      perCase[index].push(run(cases[index].make, cases[index].storage()));
    }
  }
  const baseline = perCase[0];
  const line = cases.map((c, index) => {
    const ratios = perCase[index].map((value, round) => value / baseline[round]);
    return `${c.name} ${median(perCase[index]).toFixed(3)} µs${index === 0 ? '' : ` (${median(ratios).toFixed(2)} of own Buffer, rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`}`;
  });
  console.log(`${load}: CPU per chunk, median of ${ROUNDS} rounds: ${line.join('; ')}; load average ${loadavg()[0].toFixed(1)}`);
}
