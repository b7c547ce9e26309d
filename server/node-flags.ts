// The V8 settings the server runs with (`npm start` passes them; bench/bench-process.ts and the
// scaled-out instances of tests/scale use this list). Measured in bench/soak.ts on a two-core
// laptop with one core kept busy (issue 40; figures in bench/README.md, "Garbage collection"):
//
// - `--single-threaded-gc`: the collector's work on the main thread only. With helper threads, a
//   pause waits for every helper to finish its share, and on a laptop whose other core is busy a
//   helper may not run for tens of milliseconds: pauses of 20–110 ms. Alone, the main thread
//   never waits for another thread: the longest pause per 10 s round fell to 8–19 ms. The marking
//   that ran beside the loop runs in small steps on it instead.
// - `--no-memory-reducer`: when a flood stops, V8's memory reducer ran a compacting collection
//   to give memory back (a 54 ms pause seen in a quiet round). The capture budget bounds what
//   the server holds; the memory is used again by the next flood.
// - `--initial-old-space-size=128`: the old generation is collected once it reaches 128 MiB,
//   not from about 60 MiB on: beside a flood of 1 MB messages a full collection came every
//   0.1–3 s, 44 in a soak; with this, 9 (two of them the bench's own, forced).
// - `--max-semi-space-size=16`: each half of the young generation at most 16 MiB, as Node 20 and
//   22 have it. Node 24's V8 lets it grow to 64 MiB here (32, doubled without pointer compression),
//   and V8's rule for starting a full collection weighs the old generation's room left against the
//   young generation's size: with 64 MiB, 20–32 full collections in a soak, the old generation far
//   from its limit. With 16: 8, the longest pause of any round within 20 ms in 4 soaks of 7 (1 of 4
//   before), and the peak RSS 266–306 MiB instead of 332–370 (bench/README.md, "The young
//   generation on Node 24").
export const SERVER_NODE_FLAGS: readonly string[] = ['--single-threaded-gc', '--no-memory-reducer', '--initial-old-space-size=128', '--max-semi-space-size=16'];

/** The flags of SERVER_NODE_FLAGS this process was started without (main.ts says so at start-up). */
export function missingServerFlags(execArgv: readonly string[] = process.execArgv): string[] {
  return SERVER_NODE_FLAGS.filter((flag) => !execArgv.includes(flag));
}
