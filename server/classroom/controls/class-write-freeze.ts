import type { ClassStatus } from '../../../contracts/class-channel/messages.ts';
import type { Bilingual } from '../../../shared/bilingual.ts';
import { WRITES_FROZEN_TEXT } from '../class-errors.ts';

// "Freeze the students' writes" (README.md, "Freezing the students' writes"): the domain asks,
// before every write, whether the sandbox is frozen (Domain.setWriteGuard). A sandbox is frozen
// when a student of a frozen class has a class channel open on this instance with that browser
// session — the same reach as "reset everyone's data"; each instance answers for its own students.

export class ClassWriteFreeze {
  /** classes whose students' writes are frozen, as this instance last heard their state */
  private readonly frozen = new Set<string>();

  constructor(
    /** the browser sessions of a class's students with a channel open on this instance */
    private readonly sessionsOf: (code: string) => Iterable<string | null>,
  ) {}

  /** The class's state as it was read or told (a change here or on another instance, a student's hello). */
  note(code: string, status: Pick<ClassStatus, 'frozenMs'>): void {
    if (status.frozenMs === null) this.frozen.delete(code);
    else this.frozen.add(code);
  }

  forget(code: string): void {
    this.frozen.delete(code);
  }

  /** The domain's write guard: why this sandbox's writes are refused now, or null. */
  readonly guard = (sandboxId: string): Bilingual | null => {
    for (const code of this.frozen) for (const session of this.sessionsOf(code)) if (session === sandboxId) return WRITES_FROZEN_TEXT;
    return null;
  };
}
