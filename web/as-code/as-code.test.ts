import { describe, expect, it } from 'vitest';
import { httpSpecOf, longPollSpecOf, specOfCellFile } from './cell-spec.ts';
import { asCode } from './generate.ts';
import { isGenerated } from './generated.ts';
import { languageFromStorage } from './language-choice.ts';
import { AS_CODE_LANGUAGES } from './languages.ts';

const target = { origin: 'http://192.168.1.5:8080', token: 'curl.TOKEN' };

describe('As code', () => {
  it('remembers a known language, else starts with the terminal', () => {
    expect(languageFromStorage('go')).toBe('go');
    expect(languageFromStorage('cobol')).toBe('terminal');
    expect(languageFromStorage(null)).toBe('terminal');
  });

  it('writes the request as typed, percent-encoded as the browser sends it, with the token, in every language', () => {
    const spec = specOfCellFile('http', 'GET /api/v1/users?q=ершов\nAccept: application/json\n');
    expect(spec).toMatchObject({ kind: 'http', target: '/api/v1/users?q=%D0%B5%D1%80%D1%88%D0%BE%D0%B2' });
    for (const language of AS_CODE_LANGUAGES) {
      const result = asCode(spec!, language, target);
      if (!isGenerated(result)) throw new Error(`${language}: nothing written`);
      expect(result.code).toContain('http://192.168.1.5:8080/api/v1/users?q=%D0%B5%D1%80%D1%88%D0%BE%D0%B2');
      expect(result.code).toContain('curl.TOKEN');
      expect(result.install).not.toContain('\n');
    }
  });

  it('leaves out what fetch cannot send, and says so in both languages', () => {
    const spec = httpSpecOf({ method: 'GET', target: '/x', version: null, headers: [{ name: 'Connection', value: 'close', line: 2 }], body: null, requestLine: 1, bodyLine: null });
    const result = asCode(spec, 'javascript', target);
    if (!isGenerated(result)) throw new Error('nothing written');
    expect(result.code).not.toContain('Connection');
    expect(result.notes[0].en).toContain('Connection');
    expect(result.notes[0].ru).toContain('Connection');
  });

  it('writes the long poll the console sends: its cursor and hold', () => {
    expect(longPollSpecOf('/api/v1/poll', '12', '5').target).toBe('/api/v1/poll?since=12&timeout=5');
  });

  it('a console without a proven program says why, in both languages', () => {
    const result = asCode({ kind: 'sse', target: '/api/v1/events', events: 1 }, 'python', target);
    expect(isGenerated(result)).toBe(false);
    if (!isGenerated(result)) expect(result.unsupported.ru).toContain('SSE');
  });
});
