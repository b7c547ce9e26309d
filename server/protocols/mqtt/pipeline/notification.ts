import type { IPublishPacket } from 'mqtt';
import { publishRemainingLength } from '../../../../wire/mqtt/remaining-length.ts';
import { NOTIFICATIONS_PREFIX } from './limits.ts';
import type { Notification } from '../../../../contracts/pipeline-lab/state.ts';

export type { Notification };

/** The remaining length of the QoS 1 PUBLISH that carries a payload on `topic`: what the broker's packet limit counts. */
export function qos1PublishBytes(topic: string, payloadBytes: number): number {
  return publishRemainingLength(Buffer.byteLength(topic), payloadBytes, 1);
}

export function notificationTopic(name: string): string {
  return `${NOTIFICATIONS_PREFIX}${name}`;
}

/** The notification's JSON, or null when its PUBLISH would pass the broker's packet limit. */
export function encodeNotification(notification: Notification, maxPacketBytes: number): string | null {
  const json = JSON.stringify(notification);
  return qos1PublishBytes(notificationTopic(notification.by), Buffer.byteLength(json)) <= maxPacketBytes ? json : null;
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
