// Where the teacher-wire part of the class channel is handed over: a module of its own, so that
// the class channel (student-class.ts) and the teacher's capture store (teacher-captures.ts),
// which the channel loads lazily, do not import each other.

export type TeacherWireData = string | ArrayBuffer;

let sink: ((data: TeacherWireData) => void) | null = null;
let waiting: TeacherWireData[] = [];

/** The teacher's capture store takes over: what arrived before it is handed over first, in order. */
export function setTeacherWireSink(newSink: (data: TeacherWireData) => void): void {
  sink = newSink;
  const kept = waiting;
  waiting = [];
  for (const data of kept) newSink(data);
}

/** Hands the data to the sink, or keeps it until there is one; true when it was kept. */
export function deliverTeacherWire(data: TeacherWireData): boolean {
  if (sink) {
    sink(data);
    return false;
  }
  waiting.push(data);
  return true;
}
