import type { Attempt } from '../../contracts/class-channel/messages.ts';

export interface AttemptGroup {
  lesson: string;
  exercise: string;
  /** newest first */
  attempts: Attempt[];
}

/** A student's attempts per exercise: the exercise tried last comes first, each one's attempts newest first. */
export function attemptGroups(attempts: readonly Attempt[]): AttemptGroup[] {
  const groups = new Map<string, AttemptGroup>();
  const newestFirst = [...attempts].sort((a, b) => b.ms - a.ms);
  for (const attempt of newestFirst) {
    const key = `${attempt.lesson}/${attempt.exercise}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { lesson: attempt.lesson, exercise: attempt.exercise, attempts: [] }));
    group.attempts.push(attempt);
  }
  return [...groups.values()];
}
