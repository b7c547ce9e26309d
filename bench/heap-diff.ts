// What a heap grew by between two V8 heap snapshots, per kind of object, divided by a count
// (bench/websocket-idle.ts with BENCH_IDLE_HEAP_DIR writes a snapshot before and after its idle
// connections): `node --import tsx bench/heap-diff.ts before.heapsnapshot after.heapsnapshot 2000`.
// Prints the kinds that grew most, in bytes per connection, and how many of each per connection.
import { readFileSync } from 'node:fs';

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]]; edge_fields: string[]; edge_types: [string[], ...unknown[]] } };
  nodes: number[];
  edges: number[];
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

/**
 * What a closure's context holds, by the names of its variables: anonymous closures (a listener
 * made per connection) are told apart so, by where they were made.
 */
function contextNamesOf(snapshot: HeapSnapshot, firstEdges: Int32Array, node: number): string {
  const { node_fields: fields, edge_fields: edgeFields, edge_types: edgeTypes } = snapshot.snapshot.meta;
  const width = fields.length;
  const edgeWidth = edgeFields.length;
  const [typeAt, nameAt, toAt] = ['type', 'name_or_index', 'to_node'].map((field) => edgeFields.indexOf(field));
  const edgesOf = (at: number): number[] => {
    const index = at / width;
    const edges: number[] = [];
    for (let edge = firstEdges[index]; edge < firstEdges[index + 1]; edge += edgeWidth) edges.push(edge);
    return edges;
  };
  const contextEdge = edgesOf(node).find(
    (edge) => snapshot.strings[snapshot.edges[edge + nameAt]] === 'context' && edgeTypes[0][snapshot.edges[edge + typeAt]] === 'internal',
  );
  if (contextEdge === undefined) return '';
  const names = edgesOf(snapshot.edges[contextEdge + toAt])
    .filter((edge) => edgeTypes[0][snapshot.edges[edge + typeAt]] === 'context')
    .map((edge) => snapshot.strings[snapshot.edges[edge + nameAt]]);
  return ` {${names.slice(0, 5).join(',')}}`;
}

function tallyOf(file: string): Map<string, Tally> {
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshot;
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const edgeCountAt = fields.indexOf('edge_count');
  const firstEdges = new Int32Array(snapshot.nodes.length / width + 1);
  for (let node = 0, index = 0; node < snapshot.nodes.length; node += width, index++) {
    firstEdges[index + 1] = firstEdges[index] + snapshot.nodes[node + edgeCountAt] * snapshot.snapshot.meta.edge_fields.length;
  }
  const tally = new Map<string, Tally>();
  for (let node = 0; node < snapshot.nodes.length; node += width) {
    const type = types[snapshot.nodes[node + typeAt]];
    let key = BY_TYPE_ONLY.has(type) ? type : `${type}: ${snapshot.strings[snapshot.nodes[node + nameAt]].slice(0, NAME_LIMIT)}`;
    if (type === 'closure') key += contextNamesOf(snapshot, firstEdges, node);
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
