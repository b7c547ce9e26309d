import { useEffect, useState } from 'react';
import type { Board } from './class-protocol.ts';

/**
 * The lesson the board shows (null: all lessons), the teacher's choice; an exercise assigned to
 * everyone turns the board to its lesson, once per assignment.
 */
export function useBoardLesson(assigned: Board['status']['assignment']): [string | null, (lesson: string | null) => void] {
  const [lesson, setLesson] = useState<string | null>(null);
  const assignedKey = assigned ? `${assigned.lesson}/${assigned.exercise}/${assigned.sentMs}` : '';
  useEffect(() => {
    if (assigned) setLesson(assigned.lesson);
    // keyed by the assignment, not the board object: a board push must not undo the teacher's own choice of lesson
  }, [assignedKey]);
  return [lesson, setLesson];
}

/** Re-renders every half minute, so idle times move on between board updates. */
export function useHalfMinuteTick(): void {
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, []);
}
