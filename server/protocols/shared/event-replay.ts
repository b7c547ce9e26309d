import { RECENT_EVENTS_KEPT, type DomainEvent, type EventBus } from '../../domain/index.ts';

export interface ReplayGap {
  /** too-old: events after the client's id have left the buffer; unknown-id: we never issued that id (a restart) */
  reason: 'too-old' | 'unknown-id';
  after: number;
  /** the oldest event still kept, of any sandbox (null: none) */
  oldestKept: number | null;
  message: { en: string; ru: string };
}

export interface ReplayPlan {
  /** the sandbox's kept events after the client's id, oldest first */
  events: DomainEvent[];
  gap: ReplayGap | null;
}

/**
 * What a client that saw everything up to `afterId` is owed: the sandbox's events after it from
 * the bus's buffer, and whether some may be missing. The buffer is the whole server's last
 * RECENT_EVENTS_KEPT events (every sandbox together), so "may be missing" is decided from the
 * server's oldest kept id: a loss is never hidden, though an evicted event may have belonged to
 * another sandbox. Ids are the bus's, unique and increasing, so `> afterId` is exactly "not seen".
 */
export function planReplay(bus: Pick<EventBus, 'since' | 'lastId'>, afterId: number, sandboxId: string, kept: number = RECENT_EVENTS_KEPT): ReplayPlan {
  const buffer = bus.since(0);
  const oldestKept = buffer[0]?.id ?? null;
  if (afterId > bus.lastId) {
    return {
      events: buffer.filter((event) => event.sandboxId === sandboxId),
      gap: {
        reason: 'unknown-id',
        after: afterId,
        oldestKept,
        message: {
          en: `This server never issued event ${afterId}: it has restarted since, and changes may be missing. Reload the data over REST.`,
          ru: `Событие ${afterId} этот сервер не выдавал: с тех пор он перезапускался, и часть изменений могла потеряться. Загрузите данные заново через REST.`,
        },
      },
    };
  }
  const events = bus.since(afterId, sandboxId);
  // The buffer has been full, so older events were dropped; the one right after afterId among them?
  if (buffer.length >= kept && oldestKept !== null && afterId < oldestKept - 1) {
    return {
      events,
      gap: {
        reason: 'too-old',
        after: afterId,
        oldestKept,
        message: {
          en: `Events after ${afterId} are no longer kept (the server keeps its last ${kept}, the oldest is ${oldestKept}): changes may be missing. Reload the data over REST.`,
          ru: `События после ${afterId} уже не хранятся (сервер помнит последние ${kept}, самое старое — ${oldestKept}): часть изменений могла потеряться. Загрузите данные заново через REST.`,
        },
      },
    };
  }
  return { events, gap: null };
}
