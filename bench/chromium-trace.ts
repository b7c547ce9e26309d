// Chromium's performance trace as playwright's browser.stopTracing() returns it (the Trace Event
// Format): the fields the benchmarks and the trace tools read. One definition for all of them.

/** One event of the trace; `dur` and `tdur` (µs) on complete events ('X'), `tdur` the thread's CPU time. */
export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  /** thread (CPU) time of a complete event, µs */
  tdur?: number;
  pid: number;
  tid: number;
  /** a profile's id (ProfileChunk events of V8's sampling profiler) */
  id?: string;
  args?: Record<string, any>;
}

/** The events of a trace stopTracing() returned. */
export function traceEventsOf(trace: Buffer): TraceEvent[] {
  return (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
}
