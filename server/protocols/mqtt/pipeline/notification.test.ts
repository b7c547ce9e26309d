import { describe, expect, it } from 'vitest';
import { directNotification, notificationPayload, qos1PublishBytes } from './notification.ts';

describe('notificationPayload', () => {
  it('carries the order when its PUBLISH fits the broker’s packet limit, else its size instead', () => {
    const small = directNotification({ order: 1 }, 'notifier');
    expect(JSON.parse(notificationPayload(small, 11, 1024))).toMatchObject({ order: { order: 1 } });
    const large = directNotification('x'.repeat(2000), 'notifier');
    const payload = JSON.parse(notificationPayload(large, 2000, 1024)) as { order: unknown; orderBytes: number };
    expect(payload).toMatchObject({ order: null, orderBytes: 2000, by: 'notifier' });
  });

  it('counts a PUBLISH as MQTT 3.1.1 does: topic length, topic, packet id, payload', () => {
    expect(qos1PublishBytes('notifications/ä', 10)).toBe(2 + 16 + 2 + 10);
  });
});
