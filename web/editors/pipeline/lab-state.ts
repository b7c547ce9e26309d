// The lab's JSON as the server sends it (contracts/pipeline-lab/PROTOCOL.md): the state from
// GET /api/v1/pipeline and its event stream, and the notifications on notifications/<name>.

import type { ConsumerState, LabState, Notification } from '../../../contracts/pipeline-lab/state.ts';

// The contract's types, the same the server builds its answers with.
export type ConsumerView = ConsumerState;
export type LabView = LabState;
/** What the cell reads of a notification (parseNotification keeps only these). */
export type NotificationView = Pick<
  Notification,
  'order' | 'by' | 'via' | 'topic' | 'partition' | 'whileDown' | 'redelivered' | 'retained' | 'queuedMs' | 'backlog'
>;

/**
 * Whether a state the page got is newer than the one it shows (`shown`: its revision, null when
 * any will do). The event stream and the answers to the page's changes come on two connections:
 * an answer, the state when the server answered, may arrive after the stream's later states and
 * would put back what has changed since — a drained backlog full again, for good, once the lab is quiet.
 */
export function isNewerLab(shown: number | null, incoming: LabView): boolean {
  return shown === null || incoming.revision > shown;
}

/** A problem+json answer's text in the reader's language, else its detail or title. */
export function problemText(body: unknown, lang: 'en' | 'ru'): string {
  if (typeof body !== 'object' || body === null) return '';
  const problem = body as { localized?: { en?: string; ru?: string }; detail?: string; title?: string };
  return problem.localized?.[lang] ?? problem.detail ?? problem.title ?? '';
}

/** A notification read from its MQTT payload; null for anything else on the topic. */
export function parseNotification(payload: string): NotificationView | null {
  try {
    const value = JSON.parse(payload) as Partial<NotificationView>;
    if (typeof value !== 'object' || value === null || typeof value.by !== 'string') return null;
    return {
      order: value.order,
      by: value.by,
      via: value.via === 'rest' ? 'rest' : 'broker',
      topic: typeof value.topic === 'string' ? value.topic : undefined,
      partition: typeof value.partition === 'number' ? value.partition : undefined,
      whileDown: value.whileDown === true,
      redelivered: value.redelivered === true,
      retained: value.retained === true,
      queuedMs: typeof value.queuedMs === 'number' ? value.queuedMs : null,
      backlog: typeof value.backlog === 'number' ? value.backlog : undefined,
    };
  } catch {
    return null;
  }
}

/** The order number a notification names (`{ order: 7 }` as published by the lab's cell), else its text. */
export function orderLabel(order: unknown): string {
  if (typeof order === 'object' && order !== null && 'order' in order) return String((order as { order: unknown }).order);
  return typeof order === 'string' ? order : JSON.stringify(order);
}
