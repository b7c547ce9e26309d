import type { FastifyBaseLogger } from 'fastify';

// One log line per class event, for the teacher's terminal (server/logging/ prints it as text on a
// terminal, JSON elsewhere): who joined which class, what the teacher changed. The class code is
// written as the board shows it (K7F-M3Q); a student's name is what the board shows too.

export type ClassEvent =
  | { kind: 'class-created'; code: string; title: string }
  | { kind: 'joined'; code: string; name: string; rejoined: boolean }
  | { kind: 'renamed'; code: string; from: string | null; name: string }
  | { kind: 'removed'; code: string; name: string | null }
  | { kind: 'class-deleted'; code: string; members: number }
  | { kind: 'leading'; code: string }
  | { kind: 'ended'; code: string }
  | { kind: 'reopened'; code: string }
  | { kind: 'notice'; code: string; text: string | null }
  | { kind: 'timer'; code: string; minutes: number | null }
  | { kind: 'data-reset'; code: string; sandboxes: number }
  | { kind: 'assigned'; code: string; lesson: string | null; exercise: string | null }
  | { kind: 'cell-sent'; code: string; lesson: string; cell: string }
  | { kind: 'frozen'; code: string; on: boolean };

const shown = (code: string): string => (code.length === 6 ? `${code.slice(0, 3)}-${code.slice(3)}` : code);

/** The line's text and its fields (`class` always, then what the event names). */
export function classEventLine(event: ClassEvent): { fields: Record<string, unknown>; message: string } {
  const klass = shown(event.code);
  switch (event.kind) {
    case 'class-created':
      return { fields: { class: klass, title: event.title }, message: `class ${klass} created` };
    case 'joined':
      return {
        fields: { class: klass, student: event.name },
        message: event.rejoined ? `class ${klass}: ${event.name} joined again from another browser` : `class ${klass}: ${event.name} joined`,
      };
    case 'renamed':
      return {
        fields: { class: klass, student: event.name, was: event.from ?? undefined },
        message: `class ${klass}: the teacher renamed ${event.from ?? 'a student'} to ${event.name}`,
      };
    case 'removed':
      return { fields: { class: klass, student: event.name ?? undefined }, message: `class ${klass}: the teacher removed ${event.name ?? 'a student'}` };
    case 'class-deleted':
      return {
        fields: { class: klass, students: event.members },
        message: `class ${klass} deleted by the teacher, with ${event.members} ${event.members === 1 ? 'student' : 'students'}`,
      };
    case 'leading':
      return { fields: { class: klass }, message: `class ${klass}: the teacher leads` };
    case 'ended':
      return { fields: { class: klass }, message: `class ${klass} ended by the teacher: no more joins or results` };
    case 'reopened':
      return { fields: { class: klass }, message: `class ${klass} reopened by the teacher` };
    case 'notice':
      return {
        fields: { class: klass, text: event.text ?? undefined },
        message: event.text === null ? `class ${klass}: the teacher took the message down` : `class ${klass}: the teacher's message: ${event.text}`,
      };
    case 'data-reset':
      return {
        fields: { class: klass, sandboxes: event.sandboxes },
        message: `class ${klass}: the teacher reset the data of the students online (${event.sandboxes} here)`,
      };
    case 'assigned':
      return {
        fields: { class: klass, lesson: event.lesson ?? undefined, exercise: event.exercise ?? undefined },
        message:
          event.lesson === null
            ? `class ${klass}: the teacher cleared the assignment`
            : `class ${klass}: the teacher assigned ${event.lesson}/${event.exercise}`,
      };
    case 'cell-sent':
      return {
        fields: { class: klass, lesson: event.lesson, cell: event.cell },
        message: `class ${klass}: the teacher sent cell ${event.lesson}/${event.cell} to the followers`,
      };
    case 'frozen':
      return {
        fields: { class: klass, frozen: event.on },
        message: event.on ? `class ${klass}: the teacher froze the students' writes` : `class ${klass}: the teacher let the students write again`,
      };
    case 'timer':
      return {
        fields: { class: klass, minutes: event.minutes ?? undefined },
        message:
          event.minutes === null ? `class ${klass}: the teacher stopped the timer` : `class ${klass}: the teacher started a ${event.minutes}-minute timer`,
      };
  }
}

export function logClassEvent(log: Pick<FastifyBaseLogger, 'info'>, event: ClassEvent): void {
  const { fields, message } = classEventLine(event);
  log.info(fields, message);
}
