import type { ClassAction } from '../../../contracts/class-channel/messages.ts';
import type { ClassroomStore } from '../stores/classroom-store.ts';

// The board's history (README.md, "The board's history"): every teacher's action on a class —
// a message, the timer, the end and the reopening, resetting the data, removing and renaming a
// student, assigning an exercise, sending a cell — kept with the class in the store (the last
// MAX_CLASS_ACTIONS_KEPT), so every instance's board lists the same, newest first.

export type ClassActionRecord = Omit<ClassAction, 'ms'>;

export class ClassHistory {
  constructor(
    private readonly store: Pick<ClassroomStore, 'recordAction'>,
    /** the class's board is built again (here and on the other instances) */
    private readonly changed: (code: string) => void,
  ) {}

  /** Kept before the board is told, so the board built next lists it. */
  async record(code: string, action: ClassActionRecord, now = Date.now()): Promise<void> {
    await this.store.recordAction(code, { ms: now, ...action });
    this.changed(code);
  }
}

/** For controls used without a history (a unit test of the log lines). */
export const NO_HISTORY = { record: async (): Promise<void> => {} } satisfies Pick<ClassHistory, 'record'>;
