import { describe, expect, it } from 'vitest';
import { isNewerLab, orderLabel, parseNotification, problemText, type LabView } from './lab-state.ts';

describe('parseNotification', () => {
  it('reads a consumer’s notification and ignores anything else on the topic', () => {
    const payload = JSON.stringify({
      order: { order: 3 },
      by: 'w1',
      via: 'broker',
      partition: 0,
      whileDown: true,
      redelivered: false,
      retained: false,
      queuedMs: 12,
      backlog: 2,
    });
    expect(parseNotification(payload)).toMatchObject({ by: 'w1', via: 'broker', partition: 0, whileDown: true, queuedMs: 12, backlog: 2 });
    expect(parseNotification('hello')).toBeNull();
    expect(parseNotification('{"order":1}')).toBeNull();
    expect(parseNotification('null')).toBeNull();
  });

  it('leaves the backlog unknown when the server could not count it (never a zero it did not see)', () => {
    expect(parseNotification(JSON.stringify({ order: { order: 5 }, by: 'w1', via: 'broker' }))?.backlog).toBeUndefined();
  });
});

describe('problemText and orderLabel', () => {
  it('prefer the reader’s language, then the detail', () => {
    expect(problemText({ detail: 'down', localized: { en: 'down', ru: 'остановлен' } }, 'ru')).toBe('остановлен');
    expect(problemText({ detail: 'down' }, 'ru')).toBe('down');
    expect(problemText('oops', 'en')).toBe('');
  });

  it('names an order by its number, else its text', () => {
    expect(orderLabel({ order: 7, page: 'x' })).toBe('7');
    expect(orderLabel('plain')).toBe('plain');
    expect(orderLabel([1])).toBe('[1]');
  });
});

describe('isNewerLab', () => {
  const lab = (revision: number): LabView => ({
    sandbox: 's',
    revision,
    consumers: {},
    group: null,
    limits: { maxConsumers: 6, maxDelayMs: 10_000, maxBacklog: 200, partitions: 3 },
  });

  it('keeps the state of the highest revision, whichever came last', () => {
    expect(isNewerLab(null, lab(7))).toBe(true);
    expect(isNewerLab(7, lab(8))).toBe(true);
    // a change's answer read before the stream's state 8, arriving after it
    expect(isNewerLab(8, lab(7))).toBe(false);
    expect(isNewerLab(8, lab(8))).toBe(false);
  });
});
