import type { IPublishPacket } from 'mqtt';
import { NOTIFICATIONS_PREFIX } from './limits.ts';

/** The notification a consumer publishes on `notifications/<name>` for each order it handled. */
export interface Notification {
  /** the order as published (its JSON, else its text); null when it was left out because it would not fit (`orderBytes`) */
  order: unknown;
  /** present when the order was left out: its size in bytes, too large for the notification's one MQTT packet */
  orderBytes?: number;
  by: string;
  via: 'broker' | 'rest';
  topic?: string;
  group?: string;
  partition?: number;
  /** the order was published while this consumer (or the group's partition) was down */
  whileDown: boolean;
  /** this consumer (or partition) began this very order before and never acknowledged it: the broker sent it again */
  redelivered: boolean;
  /** the DUP flag of the delivery as the broker set it (aedes 1.2.0 leaves it off on a resend after reconnect) */
  dup: boolean;
  /** the broker delivered a retained message (RETAIN set on delivery: only for a new subscription) */
  retained: boolean;
  /** from the broker accepting the order to this consumer finishing it; null if the lab did not see it published */
  queuedMs: number | null;
  /** messages still waiting for this consumer (its partition, for a member) after this one; absent when the broker's store could not be asked (its Redis unreachable) */
  backlog?: number;
  /** every consumer that has finished this very order so far, this one last: two or more is fan-out */
  handledBy: string[];
  /** for a group member: the group's running members when it finished the order */
  members?: number;
}

/**
 * The remaining length of the QoS 1 PUBLISH that carries `payload` on `topic` (MQTT 3.1.1
 * §3.3: topic length, topic, packet id, payload): what the broker's packet limit counts.
 */
export function publishRemainingLength(topic: string, payloadBytes: number): number {
  return 2 + Buffer.byteLength(topic) + 2 + payloadBytes;
}

export function notificationTopic(name: string): string {
  return `${NOTIFICATIONS_PREFIX}${name}`;
}

/** The notification's JSON, or null when its PUBLISH would pass the broker's packet limit. */
export function encodeNotification(notification: Notification, maxPacketBytes: number): string | null {
  const json = JSON.stringify(notification);
  return publishRemainingLength(notificationTopic(notification.by), Buffer.byteLength(json)) <= maxPacketBytes ? json : null;
}

/**
 * The payload a consumer publishes: the notification, or — when the order would make its packet
 * larger than the broker takes (it would close the consumer's connection) — the notification
 * without the order, and the order's size instead.
 */
export function notificationPayload(notification: Notification, orderBytes: number, maxPacketBytes: number): string {
  return encodeNotification(notification, maxPacketBytes) ?? JSON.stringify({ ...notification, order: null, orderBytes });
}

/** The notification of the direct REST call: the whole request body is its order. */
export function directNotification(order: unknown, by: string): Notification {
  return { order, by, via: 'rest', whileDown: false, redelivered: false, dup: false, retained: false, queuedMs: null, backlog: 0, handledBy: [by] };
}

/** The order as the publisher sent it: its JSON when it is JSON, else the text. */
export function orderOf(packet: IPublishPacket): unknown {
  const text = packet.payload.toString();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
