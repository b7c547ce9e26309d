import type { CaptureNavigation, ServerMessage } from '../../../contracts/class-channel/messages.ts';
import { SHARED_CAPTURE_ID } from '../../../contracts/shared-capture/shared-capture.ts';
import type { ClassHistory } from './class-history.ts';

// A shared capture on the class's screens (README.md, "Showing a shared capture"): the tab that
// leads a class sends `navigate {capture}`; the followers open `/<their language>/capture/<id>`.
// Only the id of a capture this server keeps, not expired, goes out: a student's page never gets
// an id that answers 404, and a mistyped or made-up id says so to the teacher at once.

export interface CaptureShowDeps {
  /** the shared captures (server/shared-captures): kept and not expired */
  isLive(id: string): boolean;
  /** the place to the class's followers, here and on the other instances, and kept for those who follow later */
  deliver(code: string, navigation: CaptureNavigation): Promise<void>;
  history: Pick<ClassHistory, 'record'>;
}

/** The capture a `navigate {capture}` names, when it is one this server keeps; null for anything else. */
export function captureToShow(id: unknown, isLive: (id: string) => boolean): CaptureNavigation | null {
  return typeof id === 'string' && SHARED_CAPTURE_ID.test(id) && isLive(id) ? { capture: id } : null;
}

/**
 * `navigate {capture}` from a teacher's channel that leads `leading` (null: it leads no class):
 * delivered and kept in the board's history, or refused with NO_SUCH_CAPTURE. The answer for the tab.
 */
export async function showCapture(deps: CaptureShowDeps, leading: string | null, id: unknown): Promise<ServerMessage> {
  const navigation = leading ? captureToShow(id, deps.isLive) : null;
  if (!leading || !navigation) return { type: 'error', error: 'NO_SUCH_CAPTURE' };
  await deps.deliver(leading, navigation);
  await deps.history.record(leading, { kind: 'capture-shown', capture: navigation.capture });
  return { type: 'capture-shown', capture: navigation.capture };
}
