import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeConnection } from '../decode-connection.ts';
import { decodeChunk, type CaptureFixture } from '../fixtures/read-fixture.ts';
import { decodePayload, contiguousOffsets, type PayloadContext } from '../payload-layers.ts';
import { decodeProtobuf } from '../protobuf/decode-protobuf.ts';
import { HpackDecoder } from '../http2/hpack.ts';
import type { CaptureChunk, CapturedConnection, DecodedConnection, WireMessage, WireNode } from '../types.ts';
import { SeededRandom } from './seeded-random.ts';

// Every decoder against bytes no client sends: the captured fixtures of every layer, mutated
// (bit flips, insertions, deletions, splices between fixtures), truncated, cut into chunks with
// gaps, and pure noise; all from one seed, so a failure names a case that replays exactly.

/** Fixed, so `npm test` is the same every time; FUZZ_SEED=<n> explores other cases by hand. */
const SEED = Number(process.env.FUZZ_SEED ?? 0x13_2026);
/** Cases of each kind; together over 20 000 (the floor). */
const CONNECTION_CASES = 9000;
const TRUNCATION_CASES = 2500;
const PAYLOAD_CASES = 9000;
const RAW_CASES = 2000;
/** A hang guard, not a speed test: one decode of a mutated ~50 KiB fixture takes milliseconds. */
const CASE_TIME_LIMIT_MS = 10_000;

interface Seed {
  name: string;
  connection: CapturedConnection;
  in: Uint8Array;
  out: Uint8Array;
}

const wireDir = join(import.meta.dirname, '..');
const fixtureFiles = [
  ...readdirSync(join(wireDir, 'fixtures'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => join(wireDir, 'fixtures', file)),
  ...['graphql', 'sse', 'engine-io', 'http2', 'mqtt'].flatMap((layer) => {
    try {
      return readdirSync(join(wireDir, layer, 'fixtures'))
        .filter((file) => file.endsWith('.json'))
        .map((file) => join(wireDir, layer, 'fixtures', file));
    } catch {
      return [];
    }
  }),
];

function concatDir(chunks: CaptureChunk[], dir: 'in' | 'out'): Uint8Array {
  const parts = chunks.filter((chunk) => chunk.dir === dir).sort((a, b) => a.offset - b.offset);
  const end = parts.reduce((max, chunk) => Math.max(max, chunk.offset + chunk.data.length), 0);
  const bytes = new Uint8Array(end);
  for (const chunk of parts) bytes.set(chunk.data, chunk.offset);
  return bytes;
}

const seeds: Seed[] = fixtureFiles.flatMap((file) => {
  const fixture = JSON.parse(readFileSync(file, 'utf8')) as CaptureFixture;
  const chunks = fixture.chunks.map(decodeChunk);
  return fixture.connections.map((connection) => {
    const own = chunks.filter((chunk) => chunk.conn === connection.id);
    return { name: `${fixture.name}/${connection.id}`, connection, in: concatDir(own, 'in'), out: concatDir(own, 'out') };
  });
});

/** Payloads as the decoders met them in the fixtures: bodies and their context, for the payload layers. */
interface PayloadSeed {
  name: string;
  bytes: Uint8Array;
  context: PayloadContext;
}
const payloadSeeds: PayloadSeed[] = seeds.flatMap((seed) => {
  const decoded = decodeConnection({ ...seed.connection, closedAt: 1 }, chunksOf(seed, seed.in, seed.out));
  return decoded.exchanges.flatMap((exchange) => {
    const found: PayloadSeed[] = [];
    const contentType = (headers: Array<[string, string]>) => headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1]?.toLowerCase();
    const carrier = exchange.transport === 'h2c' ? 'h2-data' : undefined;
    if (exchange.request.body.length > 0) {
      found.push({
        name: `${seed.name} request`,
        bytes: exchange.request.body,
        context: {
          carrier: carrier ?? 'http-request-body',
          contentType: contentType(exchange.request.headers),
          path: exchange.request.path,
          headers: exchange.request.headers,
          complete: true,
        },
      });
    }
    if (exchange.response && exchange.response.body.length > 0) {
      found.push({
        name: `${seed.name} response`,
        bytes: exchange.response.body,
        context: {
          carrier: carrier ?? 'http-response-body',
          contentType: contentType(exchange.response.headers),
          path: exchange.request.path,
          headers: exchange.response.headers,
          requestHeaders: exchange.request.headers,
          complete: true,
        },
      });
    }
    return found;
  });
});
function chunksOf(seed: Seed, inbound: Uint8Array, outbound: Uint8Array, random?: SeededRandom): CaptureChunk[] {
  const chunks: CaptureChunk[] = [];
  let seq = 0;
  for (const [dir, bytes] of [
    ['in', inbound],
    ['out', outbound],
  ] as const) {
    if (bytes.length === 0) continue;
    // cut into pieces (frames across chunks), sometimes with a gap (bytes never recorded)
    const pieces = random ? 1 + random.int(4) : 1;
    const cuts = [0, ...Array.from({ length: pieces - 1 }, () => random!.int(bytes.length)).sort((a, b) => a - b), bytes.length];
    let shift = 0;
    for (let index = 0; index + 1 < cuts.length; index += 1) {
      if (cuts[index + 1] <= cuts[index]) continue;
      if (random && index > 0 && random.next() < 0.15) shift += 1 + random.int(64);
      seq += 1;
      chunks.push({
        conn: seed.connection.id,
        seq,
        dir,
        t: 1000 + cuts[index] * 2 + (dir === 'out' ? 1 : 0),
        offset: cuts[index] + shift,
        data: bytes.subarray(cuts[index], cuts[index + 1]),
      });
    }
  }
  return chunks;
}

function mutate(random: SeededRandom, bytes: Uint8Array, other: Uint8Array): Uint8Array {
  let out = bytes;
  const steps = 1 + random.int(4);
  for (let step = 0; step < steps; step += 1) {
    const at = random.int(out.length + 1);
    switch (random.int(6)) {
      case 0: {
        // bit flips
        const copy = out.slice();
        for (let flips = 1 + random.int(8); flips > 0 && copy.length > 0; flips -= 1) copy[random.int(copy.length)] ^= 1 << random.int(8);
        out = copy;
        break;
      }
      case 1: {
        // interesting bytes: 0x00, 0xff, 0x7f, 0x80 (lengths, varints, flags)
        const copy = out.slice();
        if (copy.length > 0) copy[random.int(copy.length)] = random.pick([0x00, 0xff, 0x7f, 0x80, 0x0a, 0x0d, 0x3a]);
        out = copy;
        break;
      }
      case 2:
        out = concat(out.subarray(0, at), random.bytes(1 + random.int(16)), out.subarray(at));
        break;
      case 3:
        out = concat(out.subarray(0, at), out.subarray(Math.min(out.length, at + 1 + random.int(32))));
        break;
      case 4: {
        // splice: the rest comes from another fixture's same direction
        const from = random.int(other.length + 1);
        out = concat(out.subarray(0, at), other.subarray(from, from + random.int(4096)));
        break;
      }
      default:
        out = out.subarray(0, at);
    }
  }
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Decodes and walks every node (a lazy getter or a cycle would throw or hang here, not in the page). */
function decodeAll(connection: CapturedConnection, chunks: CaptureChunk[]) {
  const decoded = decodeConnection(connection, chunks);
  let nodes = 0;
  const walk = (node: WireNode): void => {
    nodes += 1;
    if (typeof node.kind !== 'string' || !(node.range.start <= node.range.end)) throw new Error(`bad node ${node.kind} ${JSON.stringify(node.range)}`);
    for (const child of node.children ?? []) walk(child);
  };
  for (const exchange of decoded.exchanges) {
    walk(exchange.request.tree);
    if (exchange.response) walk(exchange.response.tree);
  }
  for (const message of decoded.messages ?? []) walk(message.tree);
  for (const note of decoded.notes) walk(note.node);
  return { decoded, nodes };
}

function timed<T>(label: string, run: () => T): T {
  const started = performance.now();
  let result: T;
  try {
    result = run();
  } catch (error) {
    throw new Error(`${label}: threw ${(error as Error)?.stack ?? error}`);
  }
  const took = performance.now() - started;
  if (took > CASE_TIME_LIMIT_MS) throw new Error(`${label}: took ${Math.round(took)} ms (a hang?)`);
  return result;
}

/** What a message says, without its place in the list (numbering counts every message of the connection). */
function comparable(message: WireMessage): string {
  return JSON.stringify({ ...message, index: undefined });
}

describe('fuzzing every decoder from the captured fixtures (seeded)', { timeout: 120_000 }, () => {
  it('has seeds for every layer', () => {
    const layers = new Set<string>();
    for (const seed of seeds) {
      for (const message of decodeConnection({ ...seed.connection, closedAt: 1 }, chunksOf(seed, seed.in, seed.out)).messages ?? []) layers.add(message.layer);
    }
    for (const layer of [
      'h2-frame',
      'grpc-message',
      'grpc-status',
      'ws-frame',
      'sse-event',
      'engine-io-packet',
      'socket-io-packet',
      'graphql-http',
      'graphql-ws',
      'mqtt-packet',
    ])
      expect([...layers], layer).toContain(layer);
    for (const transport of ['http/1.1', 'h2c', 'mqtt']) expect(seeds.some((seed) => seed.connection.transport === transport)).toBe(true);
    for (const carrier of ['http-request-body', 'http-response-body', 'h2-data'])
      expect(payloadSeeds.some((seed) => seed.context.carrier === carrier)).toBe(true);
  });

  it(`${CONNECTION_CASES} mutated connections: no throw, no hang`, () => {
    const random = new SeededRandom(SEED);
    let nodes = 0;
    for (let trial = 0; trial < CONNECTION_CASES; trial += 1) {
      const seed = random.pick(seeds);
      const other = random.pick(seeds);
      const dirs = random.int(3);
      const inbound = dirs !== 1 ? mutate(random, seed.in, other.in) : seed.in;
      const outbound = dirs !== 0 ? mutate(random, seed.out, other.out) : seed.out;
      const connection = { ...seed.connection, ...(random.next() < 0.5 ? { closedAt: 9999 } : { closedAt: undefined }) };
      const chunks = chunksOf(seed, inbound, outbound, random);
      nodes += timed(`case ${trial} (${seed.name})`, () => decodeAll(connection, chunks)).nodes;
    }
    expect(nodes).toBeGreaterThan(CONNECTION_CASES);
  });

  it(`${TRUNCATION_CASES} truncations: messages that ended before the cut decode exactly as in the whole capture`, () => {
    const random = new SeededRandom(SEED + 1);
    const whole = new Map<Seed, DecodedConnection>();
    let compared = 0;
    for (let trial = 0; trial < TRUNCATION_CASES; trial += 1) {
      const seed = random.pick(seeds);
      const connection = { ...seed.connection, closedAt: undefined };
      if (!whole.has(seed)) whole.set(seed, decodeConnection(connection, chunksOf(seed, seed.in, seed.out)));
      const dir = random.next() < 0.5 ? 'in' : 'out';
      const bytes = seed[dir];
      const cut = random.int(bytes.length + 1);
      const inbound = dir === 'in' ? seed.in.subarray(0, cut) : seed.in;
      const outbound = dir === 'out' ? seed.out.subarray(0, cut) : seed.out;
      const truncated =
        timed(`truncation ${trial} (${seed.name} ${dir} at ${cut})`, () => decodeAll(connection, chunksOf(seed, inbound, outbound))).decoded.messages ?? [];
      const full = whole.get(seed)!;
      const before = (full.messages ?? []).filter((message) => message.dir === dir && endedBefore(full, message, cut));
      const after = new Set(truncated.filter((message) => message.dir === dir).map(comparable));
      for (const message of before) {
        compared += 1;
        if (!after.has(comparable(message))) {
          const twin = truncated.find(
            (candidate) => candidate.dir === dir && candidate.layer === message.layer && candidate.range.start === message.range.start,
          );
          expect(twin && comparable(twin), `${seed.name}: ${dir} cut at ${cut}, ${message.layer} ${message.summary}`).toBe(comparable(message));
        }
      }
    }
    expect(compared).toBeGreaterThan(TRUNCATION_CASES);
  });

  it(`${PAYLOAD_CASES} mutated payloads through their layers (gRPC, Connect, gRPC-Web, protobuf, SSE, Engine.IO, GraphQL): no throw`, () => {
    const random = new SeededRandom(SEED + 2);
    for (let trial = 0; trial < PAYLOAD_CASES; trial += 1) {
      const seed = random.pick(payloadSeeds);
      const bytes = mutate(random, seed.bytes, random.pick(payloadSeeds).bytes);
      const context = { ...seed.context, complete: random.next() < 0.7 };
      // decodePayload would hide a throw as a node: call the layer through it, but check none failed
      const nodes = timed(`payload ${trial} (${seed.name})`, () => decodePayload(bytes, contiguousOffsets(100), context));
      const failed = nodes.find((node) => node.error === 'decoder-failed');
      expect(failed, `payload ${trial} (${seed.name}): ${failed?.value}`).toBeUndefined();
    }
  });

  it(`${RAW_CASES} noise inputs: protobuf, HPACK, HTTP/1.1 and h2c connections of random bytes`, () => {
    const random = new SeededRandom(SEED + 3);
    const preface = new TextEncoder().encode('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    for (let trial = 0; trial < RAW_CASES; trial += 1) {
      const noise = random.bytes(random.int(512));
      timed(`noise ${trial}`, () => {
        decodeProtobuf(noise, contiguousOffsets(0));
        new HpackDecoder().decodeBlock(noise, contiguousOffsets(0));
        const seed = random.pick(seeds);
        const inbound = seed.connection.transport === 'h2c' && random.next() < 0.8 ? concat(preface, noise) : noise;
        return decodeAll(seed.connection, chunksOf(seed, inbound, random.bytes(random.int(512)), random));
      });
    }
  });
});

/**
 * A message has ended when every byte its decoder reads has: its own, and those of the unit it
 * is read from. An HTTP/2 message (a gRPC status in trailers) is read from whole frames, and a
 * header block from its HEADERS frame up to END_HEADERS (CONTINUATION frames past the cut change
 * it); a GraphQL request or response is one JSON document, read from its whole HTTP message.
 */
const framesOf = new WeakMap<DecodedConnection, { in: WireMessage[]; out: WireMessage[] }>();

function endedBefore(decoded: DecodedConnection, message: WireMessage, cut: number): boolean {
  if (message.range.end > cut) return false;
  let byDir = framesOf.get(decoded);
  if (!byDir) {
    byDir = { in: [], out: [] };
    for (const frame of decoded.messages ?? []) if (frame.layer === 'h2-frame') byDir[frame.dir].push(frame);
    framesOf.set(decoded, byDir);
  }
  const frames = byDir[message.dir];
  if (message.layer === 'h2-frame') {
    if ((message.fields?.type === 'HEADERS' || message.fields?.type === 'PUSH_PROMISE') && message.fields?.endHeaders === false) return false;
  } else if (
    frames.some(
      (frame) => frame.range.start < Math.max(message.range.end, message.range.start + 1) && frame.range.end > message.range.start && frame.range.end > cut,
    )
  ) {
    return false;
  }
  if (message.layer === 'graphql-http' && message.group?.startsWith('exchange ')) {
    const exchange = decoded.exchanges.find((candidate) => candidate.index === Number(message.group!.slice('exchange '.length)));
    const carrier = message.dir === 'in' ? exchange?.request : exchange?.response;
    if (!carrier || carrier.range.end > cut) return false;
  }
  return true;
}
