import { describe, expect, it } from 'vitest';
import { encodeRelayFact, readRelayFact, relayFactIsFault, relayCloseCode, relayFactText, type RelayFact } from './relays.ts';

const bytes = (text: string) => new TextEncoder().encode(text).length;

describe('the facts a relay closes with', () => {
  it('round-trip through a close frame, with the code of their kind', () => {
    const facts: RelayFact[] = [
      { fact: 'not-upgraded', status: 404, statusText: 'Not Found' },
      { fact: 'not-your-address', target: '192.0.2.1', student: '127.0.0.1' },
      { fact: 'too-many-connections', limit: 4 },
      { fact: 'no-answer', seconds: 5 },
      { fact: 'bad-request', field: 'path', value: 'no-slash' },
    ];
    expect(facts.map(relayCloseCode)).toEqual([4502, 4403, 4429, 4504, 4400]);
    for (const fact of facts) expect(readRelayFact(relayCloseCode(fact), encodeRelayFact(fact))).toEqual(fact);
  });

  it('fit a close reason (123 bytes) by cutting long strings, Cyrillic included', () => {
    const long: RelayFact = { fact: 'bad-frame', detail: 'неверный кадр '.repeat(20) };
    const reason = encodeRelayFact(long);
    expect(bytes(reason)).toBeLessThanOrEqual(123);
    expect(readRelayFact(4502, reason)).toMatchObject({ fact: 'bad-frame' });
    const v6: RelayFact = { fact: 'not-your-address', target: 'fd12:3456:789a:1:2:3:4:5', student: 'fd12:3456:789a:1:2:3:4:6' };
    expect(readRelayFact(4403, encodeRelayFact(v6))).toEqual(v6);
  });

  it('are not read into a close of the student’s own server, nor from a reason that is not one', () => {
    expect(readRelayFact(4000, '{"fact":"refused","address":"x"}')).toBeNull();
    expect(readRelayFact(4502, 'bye')).toBeNull();
    expect(readRelayFact(4502, '{"fact":"made-up"}')).toBeNull();
  });

  it('are worded in both languages, Russian plurals by the shared rule', () => {
    expect(relayFactText({ fact: 'too-many-connections', limit: 4 }).ru).toMatch(/^Не больше 4 соединений/);
    expect(relayFactText({ fact: 'too-many-connections', limit: 1 }).ru).toMatch(/^Не больше 1 соединения/);
    expect(relayFactText({ fact: 'no-close-frame', bytes: 1 }).en).toMatch(/after sending 1 byte\.$/);
    expect(relayFactText({ fact: 'not-upgraded', status: 404, statusText: 'Not Found' }).ru).toBe(
      'Ваш сервер ответил 404 Not Found вместо 101 Switching Protocols: WebSocket там нет.',
    );
  });

  it('tell a page Wirelab stops with 1001, going away, and a 1001 of the student’s own server stays theirs', () => {
    const stopping: RelayFact = { fact: 'wirelab-stopping' };
    expect(relayCloseCode(stopping)).toBe(1001);
    expect(readRelayFact(1001, encodeRelayFact(stopping))).toEqual(stopping);
    // the student's server going away, passed on: its reason is no fact, and no other fact comes with 1001
    expect(readRelayFact(1001, 'server restarting')).toBeNull();
    expect(readRelayFact(1001, '')).toBeNull();
    expect(readRelayFact(1001, '{"fact":"refused","address":"127.0.0.1:1"}')).toBeNull();
    // nor does this fact come with another code
    expect(readRelayFact(4502, encodeRelayFact(stopping))).toBeNull();
    expect(relayFactText(stopping)).toEqual({
      en: 'Wirelab’s server is stopping — your server did nothing wrong; connect again once Wirelab is back.',
      ru: 'Сервер Wirelab выключается — ваш сервер ни при чём; подключитесь снова, когда Wirelab вернётся.',
    });
    // news, not the student's server's fault; every other fact is one
    expect(relayFactIsFault(stopping)).toBe(false);
    expect(relayFactIsFault({ fact: 'refused', address: '127.0.0.1:1' })).toBe(true);
  });
});
