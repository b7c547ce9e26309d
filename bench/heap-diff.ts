// What a heap grew by between two V8 heap snapshots, per kind of object, divided by a count
// (bench/websocket-idle.ts with BENCH_IDLE_HEAP_DIR writes a snapshot before and after its idle
// connections): `node --import tsx bench/heap-diff.ts before.heapsnapshot after.heapsnapshot 2000`.
// Prints the kinds that grew most, in bytes per connection, and how many of each per connection.
import { readFileSync } from 'node:fs';

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

interface Tally {
  count: number;
  bytes: number;
}

/** A name as long as a JS source text is no key: kinds are told apart by its start. */
const NAME_LIMIT = 60;
/** Strings are counted by their kind, not by their text (every connection's id is a different text). */
const BY_TYPE_ONLY = new Set(['string', 'concatenated string', 'sliced string', 'number', 'bigint', 'symbol']);

function tallyOf(file: string): Map<string, Tally> {
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshot;
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const tally = new Map<string, Tally>();
  for (let node = 0; node < snapshot.nodes.length; node += width) {
    const type = types[snapshot.nodes[node + typeAt]];
    const key = BY_TYPE_ONLY.has(type) ? type : `${type}: ${snapshot.strings[snapshot.nodes[node + nameAt]].slice(0, NAME_LIMIT)}`;
    const entry = tally.get(key) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += snapshot.nodes[node + sizeAt];
    tally.set(key, entry);
  }
  return tally;
}

const [beforeFile, afterFile, perText = '1', topText = '40'] = process.argv.slice(2);
if (!beforeFile || !afterFile) {
  console.error('usage: bench/heap-diff.ts <before.heapsnapshot> <after.heapsnapshot> [divide by, e.g. the connections] [rows]');
  process.exit(2);
}
const per = Number(perText);
const before = tallyOf(beforeFile);
const after = tallyOf(afterFile);
const none: Tally = { count: 0, bytes: 0 };
const rows = [...new Set([...before.keys(), ...after.keys()])].map((key) => {
  const [old, now] = [before.get(key) ?? none, after.get(key) ?? none];
  return { key, count: (now.count - old.count) / per, bytes: (now.bytes - old.bytes) / per };
});
rows.sort((a, b) => b.bytes - a.bytes);
const total = rows.reduce((sum, row) => sum + row.bytes, 0);
console.log(`grown by ${total.toFixed(0)} bytes per unit (${per} units)`);
for (const row of rows.slice(0, Number(topText))) {
  console.log(`${row.bytes.toFixed(1).padStart(9)} B  ${row.count.toFixed(2).padStart(7)} ×  ${row.key}`);
}
