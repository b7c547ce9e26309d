// Several instances on one Redis (README, "Scaling out"): a forwarder aimed at another instance
// than the one running the check passes the run to a listener that does not know the run's mark,
// and lesson 15 would count Wirelab's answers as the student's (issue 51). So each instance tells
// the others, through the Redis the classroom shares, of every run it begins (its mark, on a
// channel); each watches its own listener for the marks of all of them; the one that sees a mark
// arrive writes that down in Redis, and the instance that ran the check reads it when the run ends.
import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { ScaleContext } from '../scale/scale-plugin.ts';
import { OWN_SERVER_LIMITS } from './limits.ts';
import type { ArrivalsBus, ChecksArrivingBack } from './wirelab-itself.ts';

interface RunNotice {
  kind: 'begin' | 'end';
  mark: string;
  from: string;
}

/** Another instance's run is watched at most this long (its whole suite, with room): an instance that died never says "end". */
const FOREIGN_WATCH_MS = 2 * OWN_SERVER_LIMITS.suiteTimeoutMs;
/** How long a run waits for Redis to take its announcement, or to say whether it arrived elsewhere. */
const COMMAND_TIMEOUT_MS = 2000;
/** How long the fact "this mark arrived" stays in Redis: past any run's end. */
const ARRIVED_TTL_S = Math.ceil((4 * OWN_SERVER_LIMITS.suiteTimeoutMs) / 1000);

const isNotice = (value: unknown): value is RunNotice => {
  const notice = value as Partial<RunNotice> | null;
  return (
    (notice?.kind === 'begin' || notice?.kind === 'end') &&
    typeof notice.mark === 'string' &&
    /^[0-9a-f]{12}$/.test(notice.mark) &&
    typeof notice.from === 'string'
  );
};

/**
 * Shares `arriving`'s runs with the other instances of `scale`; resolves once this instance listens
 * for theirs. Redis unreachable: a run is watched by its own instance only (as with one process),
 * and a failed command never fails a run.
 */
export async function shareArrivalsThroughRedis(arriving: ChecksArrivingBack, scale: ScaleContext, log: FastifyBaseLogger): Promise<void> {
  const channel = scale.key('own-server-runs');
  const arrivedKey = (mark: string) => scale.key(`own-server-arrived:${mark}`);
  // a Redis that does not answer never holds a run: its commands fail after the wait, and the run goes on
  const publisher: Redis = scale.connection('own-server-runs-pub', { enableOfflineQueue: false, commandTimeout: COMMAND_TIMEOUT_MS });
  const subscriber: Redis = scale.connection('own-server-runs-sub');
  const expiries = new Map<string, NodeJS.Timeout>();
  const announce = (kind: RunNotice['kind'], mark: string) =>
    publisher.publish(channel, JSON.stringify({ kind, mark, from: scale.instanceId } satisfies RunNotice));

  const arrivedHere = (mark: string) => {
    publisher
      .set(arrivedKey(mark), '1', 'EX', ARRIVED_TTL_S)
      .catch((error: unknown) => log.warn({ err: error }, 'could not tell the other instances that a run arrived here'));
  };
  const stopWatching = (mark: string) => {
    clearTimeout(expiries.get(mark));
    expiries.delete(mark);
    arriving.forgetForeign(mark);
  };

  subscriber.on('message', (_channel: string, text: string) => {
    let notice: unknown;
    try {
      notice = JSON.parse(text);
    } catch {
      return;
    }
    if (!isNotice(notice) || notice.from === scale.instanceId) return;
    if (notice.kind === 'end') return stopWatching(notice.mark);
    arriving.watchForeign(notice.mark, arrivedHere);
    expiries.set(notice.mark, setTimeout(() => stopWatching(notice.mark), FOREIGN_WATCH_MS).unref());
  });
  await subscriber.subscribe(channel);

  const bus: ArrivalsBus = {
    began: async (mark) => {
      await announce('begin', mark);
    },
    ended: async (mark) => {
      announce('end', mark).catch(() => undefined);
      return (await publisher.get(arrivedKey(mark))) !== null;
    },
  };
  arriving.bus = bus;
}
