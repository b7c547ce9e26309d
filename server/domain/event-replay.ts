import type { Bilingual } from '../../shared/bilingual.ts';
import type { GapReason } from '../../contracts/sse/events.ts';
import { RECENT_EVENTS_KEPT, type DomainEvent, type EventBus } from './index.ts';

export interface ReplayGap {
  /**
   * too-old: events after the client's id have left the buffer; unknown-id: we never issued that
   * id (a restart); not-received: several instances on Redis, and this one never received some
   * events after the client's id (it started later, or lost its link to Redis for a while).
   */
  reason: GapReason;
  after: number;
  /** the oldest event of the sandbox still kept (null: none) */
  oldestKept: number | null;
  message: Bilingual;
}

export interface ReplayPlan {
  /** the sandbox's kept events after the client's id, oldest first */
  events: DomainEvent[];
  gap: ReplayGap | null;
}

/**
 * What a client that saw everything up to `afterId` is owed: the sandbox's events after it from
 * the sandbox's own replay buffer, and whether some may be missing. Each sandbox keeps its last
 * RECENT_EVENTS_KEPT events and knows the newest one it dropped, so a gap is reported exactly when
 * one of this sandbox's events after `afterId` is gone — never because another sandbox was busy.
 * Ids are the bus's, unique and increasing, so `> afterId` is exactly "not seen".
 */
export function planReplay(
  bus: Pick<EventBus, 'since' | 'lastId' | 'droppedThrough' | 'missedThrough'>,
  afterId: number,
  sandboxId: string,
  kept: number = RECENT_EVENTS_KEPT,
): ReplayPlan {
  const events = bus.since(afterId, sandboxId);
  if (afterId > bus.lastId) {
    const all = bus.since(0, sandboxId);
    return {
      events: all,
      gap: {
        reason: 'unknown-id',
        after: afterId,
        oldestKept: all[0]?.id ?? null,
        message: {
          en: `This server never issued event ${afterId}: it has restarted since, and changes may be missing. Reload the data over REST.`,
          ru: `Событие ${afterId} этот сервер не выдавал: с тех пор он перезапускался, и часть изменений могла потеряться. Загрузите данные заново через REST.`,
        },
      },
    };
  }
  // The sandbox's newest dropped event is one the client had not seen.
  if (afterId < bus.droppedThrough(sandboxId)) {
    const oldestKept = bus.since(0, sandboxId)[0]?.id ?? null;
    return {
      events,
      gap: {
        reason: 'too-old',
        after: afterId,
        oldestKept,
        message: {
          en: `Events after ${afterId} are no longer kept (the server keeps the last ${kept} of each sandbox, the oldest is ${oldestKept}): changes may be missing. Reload the data over REST.`,
          ru: `События после ${afterId} уже не хранятся (сервер помнит последние ${kept} событий каждой песочницы, самое старое — ${oldestKept}): часть изменений могла потеряться. Загрузите данные заново через REST.`,
        },
      },
    };
  }
  // 0 claims nothing seen: "everything still kept" cannot have missed what the instance never had.
  if (afterId > 0 && afterId < bus.missedThrough) {
    const missedThrough = bus.missedThrough;
    return {
      events,
      gap: {
        reason: 'not-received',
        after: afterId,
        oldestKept: bus.since(0, sandboxId)[0]?.id ?? null,
        message: {
          en: `This server instance never received some events between ${afterId} and ${missedThrough} (it started later, or lost its link to the others for a while): changes may be missing. Reload the data over REST.`,
          ru: `Этот экземпляр сервера не получил часть событий между ${afterId} и ${missedThrough} (он запущен позже или какое-то время был отрезан от остальных): часть изменений могла потеряться. Загрузите данные заново через REST.`,
        },
      },
    };
  }
  return { events, gap: null };
}
