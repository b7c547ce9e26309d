import { describe, expect, it } from 'vitest';
import { isSendableCloseCode, parseHexBytes, readEchoMessage, splitIntoFragments } from './echo-commands.ts';

describe('readEchoMessage', () => {
  it('echoes any text that does not start like a control message, JSON included', () => {
    expect(readEchoMessage('hello')).toEqual({ kind: 'echo' });
    expect(readEchoMessage('{"hello":"world"}')).toEqual({ kind: 'echo' });
    expect(readEchoMessage('[{"wirelab":"close"}]')).toEqual({ kind: 'echo' });
  });

  it('reads every command with its defaults', () => {
    expect(readEchoMessage('{"wirelab":"help"}')).toEqual({ kind: 'command', command: { command: 'help' } });
    expect(readEchoMessage(' { "wirelab" : "ping" }')).toEqual({ kind: 'command', command: { command: 'ping', payload: Buffer.from('wirelab') } });
    expect(readEchoMessage('{"wirelab":"ping-interval","ms":2500}')).toEqual({ kind: 'command', command: { command: 'ping-interval', ms: 2500 } });
    expect(readEchoMessage('{"wirelab":"close"}')).toEqual({ kind: 'command', command: { command: 'close', code: 1000, reason: '' } });
    expect(readEchoMessage('{"wirelab":"drop"}')).toEqual({ kind: 'command', command: { command: 'drop' } });
    expect(readEchoMessage('{"wirelab":"drop","code":1000}')).toMatchObject({ kind: 'error', code: 'bad-field' });
    expect(readEchoMessage('{"wirelab":"fragment","hex":"01 02 03","frames":3,"pingBetween":true}')).toEqual({
      kind: 'command',
      command: { command: 'fragment', payload: Buffer.from([1, 2, 3]), binary: true, frames: 3, pingBetween: true },
    });
    expect(readEchoMessage('{"wirelab":"fragment","text":"ab"}')).toMatchObject({ command: { binary: false, frames: 2, pingBetween: false } });
  });

  it('explains broken control messages in both languages', () => {
    const broken = readEchoMessage('{"wirelab":"close",');
    expect(broken).toMatchObject({ kind: 'error', code: 'bad-json' });
    // JSON.parse's English explanation stays out of the Russian sentence; where it stopped stays in
    const russian = broken.kind === 'error' ? broken.message.ru : '';
    expect(russian).toMatch(/^[^A-Za-z]*\{"wirelab": …\}[^A-Za-z]*некорректный JSON \(разбор остановился на символе 20\)/);
    expect(russian).not.toMatch(/Unexpected|Expected|position/);
    const cases: Array<[string, string, RegExp]> = [
      ['{"wirelab":"jump"}', 'unknown-command', /Неизвестная команда «jump»/],
      ['{"wirelab":"close","code":1006}', 'bad-field', /Код 1006 нельзя отправить/],
      ['{"wirelab":"close","code":"1000"}', 'bad-field', /«code» должно быть целым числом от 1000 до 4999/],
      ['{"wirelab":"close","reason":"' + 'я'.repeat(62) + '"}', 'bad-field', /не длиннее 123 байт/],
      ['{"wirelab":"ping","payload":"' + 'x'.repeat(126) + '"}', 'bad-field', /не длиннее 125 байт/],
      ['{"wirelab":"ping-interval","ms":10}', 'bad-field', /от 1000 до 60000/],
      ['{"wirelab":"fragment","text":"a","hex":"01"}', 'bad-field', /ровно в одном/],
      ['{"wirelab":"fragment","text":"ab","frames":3}', 'bad-field', /2 байта нельзя разделить на 3 непустых кадра/],
      ['{"wirelab":"fragment","hex":"0g"}', 'bad-field', /шестнадцатеричной/],
      ['{"wirelab":"help","extra":1}', 'bad-field', /Лишние поля: «extra»/],
    ];
    for (const [text, code, russian] of cases) {
      const read = readEchoMessage(text);
      expect(read, text).toMatchObject({ kind: 'error', code });
      if (read.kind === 'error') {
        expect(read.message.ru, text).toMatch(russian);
        expect(read.message.en.length, text).toBeGreaterThan(10);
      }
    }
  });
});

describe('close codes, hex and fragments', () => {
  it('knows which close codes may be sent', () => {
    expect([1000, 1001, 1003, 1007, 1009, 1014, 3000, 4999].every(isSendableCloseCode)).toBe(true);
    expect([999, 1004, 1005, 1006, 1015, 2000, 2999, 5000, 1000.5].some(isSendableCloseCode)).toBe(false);
  });

  it('reads hex with spaces or colons', () => {
    expect(parseHexBytes('01 02 ff')).toEqual(Buffer.from([1, 2, 255]));
    expect(parseHexBytes('01:02:FF')).toEqual(Buffer.from([1, 2, 255]));
    expect(parseHexBytes('')).toEqual(Buffer.alloc(0));
    expect(parseHexBytes('012')).toBeNull();
  });

  it('splits evenly, never into empty frames', () => {
    expect(splitIntoFragments(Buffer.from('hello world'), 3).map((b) => b.toString())).toEqual(['hell', 'o wo', 'rld']);
    expect(splitIntoFragments(Buffer.from('ab'), 5).map((b) => b.toString())).toEqual(['a', 'b']);
    expect(splitIntoFragments(Buffer.alloc(0), 4)).toEqual([Buffer.alloc(0)]);
    expect(Buffer.concat(splitIntoFragments(Buffer.from('Привет'), 4)).toString()).toBe('Привет');
  });
});
