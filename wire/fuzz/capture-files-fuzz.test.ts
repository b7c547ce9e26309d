import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../capture-file/read-capture-file.ts';
import { decodeConnection } from '../decode-connection.ts';
import { SeededRandom } from './seeded-random.ts';

// The capture file readers (wire/capture-file/) against files no tool writes: the recorded pcap,
// pcapng and a HAR, with bits flipped, bytes inserted and deleted, cut short, spliced together,
// and pure noise; every connection they yield then decoded. Nothing may throw. One seed, so a
// failure names a case that replays exactly (FUZZ_SEED=<n> explores others).

const SEED = Number(process.env.FUZZ_SEED ?? 0x52_2026);
const CASES = 1500;
const fixtures = join(import.meta.dirname, '../capture-file/fixtures');
const seeds = readdirSync(fixtures).map((name) => new Uint8Array(readFileSync(join(fixtures, name))));
seeds.push(
  new TextEncoder().encode(
    JSON.stringify({
      log: { entries: [{ startedDateTime: 'x', request: { method: 'GET', headers: [{}] }, response: { content: {} }, _webSocketMessages: [{}, 1] }] },
    }),
  ),
);

function mutate(random: SeededRandom, input: Uint8Array): Uint8Array {
  const bytes = Array.from(input);
  const edits = 1 + random.int(8);
  for (let i = 0; i < edits; i++) {
    const at = random.int(bytes.length + 1);
    switch (random.int(5)) {
      case 0:
        if (bytes.length > 0) bytes[at % bytes.length]! ^= 1 << random.int(8);
        break;
      case 1:
        bytes.splice(at, 0, ...random.bytes(1 + random.int(16)));
        break;
      case 2:
        bytes.splice(at, 1 + random.int(64));
        break;
      case 3:
        bytes.length = Math.min(bytes.length, at);
        break;
      default: {
        const other = seeds[random.int(seeds.length)]!;
        const from = random.int(other.length);
        bytes.splice(at, 0, ...other.subarray(from, from + random.int(512)));
      }
    }
  }
  return Uint8Array.from(bytes);
}

describe('capture file readers under fuzzing', () => {
  it(`never throw, nor do the decoders of what they yield (${CASES} cases, seed ${SEED})`, { timeout: 300_000 }, () => {
    const random = new SeededRandom(SEED);
    for (let i = 0; i < CASES; i++) {
      const input = i % 10 === 9 ? random.bytes(random.int(4096)) : mutate(random, seeds[random.int(seeds.length)]!);
      const context = `case ${i} (seed ${SEED})`;
      let opened: ReturnType<typeof readCaptureFile> | undefined;
      expect(() => (opened = readCaptureFile(input)), context).not.toThrow();
      if (opened?.kind !== 'packets') continue;
      for (const connection of opened.connections) {
        const chunks = opened.chunks.filter((chunk) => chunk.conn === connection.id);
        expect(() => decodeConnection(connection, chunks), `${context}, ${connection.id}`).not.toThrow();
      }
    }
  });
});
