import { isAppTraffic } from '../../contracts/exercise-checks/app-traffic.ts';
import type { CaptureSnapshot } from '../inspector/capture-store.ts';

/**
 * What names the teacher's newest run in their captures (the newest exchange that is not the
 * app's own, and the newest message): a new run gives a new name. A name rather than a count,
 * because the store drops its oldest connections when full, and a page that mounts its inspector
 * late must still see that a run came after what it last showed.
 */
export function latestTeacherRun(snapshot: Pick<CaptureSnapshot, 'exchanges' | 'messages'>): string | null {
  const exchange = snapshot.exchanges.findLast((candidate) => !isAppTraffic(candidate.request));
  const message = snapshot.messages.at(-1);
  if (!exchange && !message) return null;
  return `${exchange ? `${exchange.connection.id}#${exchange.index}` : ''}|${message ? `${message.conn}#${message.index}` : ''}`;
}
