// What the student is in the middle of, that an outside move of the page (following the teacher)
// must not take away: a running "check my server", an editor typed in a moment ago. Here, in the
// kit, so that the editors and the own-server page say so without knowing of the classroom.

/** Typing this recently counts as working in an editor. */
export const TYPING_HOLDS_MS = 20_000;

export type WorkKind = 'check' | 'typing';

const holds = new Map<symbol, WorkKind>();
let lastTypedMs = Number.NEGATIVE_INFINITY;

/** Marks work under way until the returned function is called (a check's run). */
export function holdWork(kind: WorkKind): () => void {
  const hold = Symbol(kind);
  holds.set(hold, kind);
  return () => {
    holds.delete(hold);
  };
}

/** The student typed in an editor or a form of the page. */
export function noteTyping(nowMs = Date.now()): void {
  lastTypedMs = nowMs;
}

/** The work under way, if any: a held one first, then recent typing. */
export function workInProgress(nowMs = Date.now()): WorkKind | null {
  for (const kind of holds.values()) return kind;
  return nowMs - lastTypedMs < TYPING_HOLDS_MS ? 'typing' : null;
}

/** Where typing is work: a lesson's cells (their editors, Monaco's too, and fields) and exercises; not a join form or a search box. */
const WORK_AREAS = '[data-testid="cell"], [data-testid="exercise"], .monaco-editor';

/** Starts counting what the student types in the page's cells and exercises. */
export function watchTyping(root: Document = document): () => void {
  const typed = (event: Event) => {
    const target = event.target as Element | null;
    if (target?.closest?.(WORK_AREAS)) noteTyping();
  };
  root.addEventListener('input', typed, true);
  root.addEventListener('keydown', typed, true);
  return () => {
    root.removeEventListener('input', typed, true);
    root.removeEventListener('keydown', typed, true);
  };
}
