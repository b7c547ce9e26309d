import { describe, expect, it } from 'vitest';
import { PublishLog } from './publish-log.ts';

describe('PublishLog', () => {
  it('finds the oldest record of an order by topic and payload', () => {
    const log = new PublishLog(10);
    log.record('orders/1', '{"order":1}', { at: 5, down: new Set(['notifier']), handledBy: [] });
    log.record('orders/1', '{"order":1}', { at: 9, down: new Set(), handledBy: [] });
    expect(log.find('orders/1', '{"order":1}')).toEqual({ at: 5, down: new Set(['notifier']), handledBy: [] });
    expect(log.find('orders/2', '{"order":1}')).toBeUndefined();
  });

  it('forgets the oldest records past its size', () => {
    const log = new PublishLog(2);
    log.record('orders/0', 'a', { at: 1, down: new Set(), handledBy: [] });
    log.record('orders/0', 'b', { at: 2, down: new Set(), handledBy: [] });
    log.record('orders/0', 'c', { at: 3, down: new Set(), handledBy: [] });
    expect(log.find('orders/0', 'a')).toBeUndefined();
    expect(log.find('orders/0', 'b')?.at).toBe(2);
    expect(log.find('orders/0', 'c')?.at).toBe(3);
  });
});
