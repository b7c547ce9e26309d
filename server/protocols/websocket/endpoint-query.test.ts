import { describe, expect, it } from 'vitest';
import { readChatQuery, readEchoQuery } from './endpoint-query.ts';
import { DEFAULT_PING_INTERVAL_MS } from './limits.ts';
import { closeReason, messages } from './messages.ts';

describe('the knobs in the handshake query', () => {
  it('reads defaults and values', () => {
    expect(readEchoQuery(new URLSearchParams(''))).toEqual({ ok: true, knobs: { pingMs: DEFAULT_PING_INTERVAL_MS, fragments: 1 } });
    expect(readEchoQuery(new URLSearchParams('ping=2000&fragments=4'))).toEqual({ ok: true, knobs: { pingMs: 2000, fragments: 4 } });
    expect(readChatQuery(new URLSearchParams('name=%20Ada%20'))).toEqual({ ok: true, knobs: { pingMs: DEFAULT_PING_INTERVAL_MS, name: 'Ada' } });
  });

  it('refuses bad values and unknown parameters in both languages', () => {
    const cases: Array<[ReturnType<typeof readEchoQuery> | ReturnType<typeof readChatQuery>, RegExp]> = [
      [readEchoQuery(new URLSearchParams('ping=999')), /ping — целое число миллисекунд/],
      [readEchoQuery(new URLSearchParams('ping=1e4')), /ping — целое число миллисекунд/],
      [readEchoQuery(new URLSearchParams('fragments=0')), /fragments — целое число от 1 до 64/],
      [readEchoQuery(new URLSearchParams('fragments=65')), /fragments/],
      [readEchoQuery(new URLSearchParams('name=Ada')), /Неизвестный параметр запроса «name»/],
      [readChatQuery(new URLSearchParams('name=')), /name — от 1 до 40 символов/],
      [readChatQuery(new URLSearchParams(`name=${'x'.repeat(41)}`)), /name/],
      [readChatQuery(new URLSearchParams('name=a%0Ab')), /без управляющих символов/],
    ];
    for (const [read, russian] of cases) {
      expect(read.ok).toBe(false);
      if (!read.ok) expect(read.message.ru).toMatch(russian);
    }
  });
});

describe('close reasons', () => {
  it('fit in a close frame in both languages', () => {
    for (const text of [
      messages.shuttingDown(),
      messages.tooManyConnections(20),
      messages.roomFull(500),
      messages.tooSlow(),
      messages.badQuery(),
      messages.subprotocolRequired('wirelab.chat.v1'),
      messages.binaryInChat(),
    ]) {
      const reason = closeReason(text);
      expect(reason).toBe(`${text.en} / ${text.ru}`);
      expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
    }
  });

  it('falls back to English when both do not fit', () => {
    expect(closeReason({ en: 'short', ru: 'я'.repeat(100) })).toBe('short');
  });
});
