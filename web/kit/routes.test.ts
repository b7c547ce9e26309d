import { describe, expect, it } from 'vitest';
import { parseRoute, pathInLang } from './routes.ts';
import { pickLang } from '../app/preferred-lang.ts';
import { estimateClockOffset } from './clock.ts';

describe('parseRoute', () => {
  it.each([
    ['/', { kind: 'root', to: '' }],
    ['/class', { kind: 'root', to: 'class' }],
    ['/en', { kind: 'list', lang: 'en' }],
    ['/ru/', { kind: 'list', lang: 'ru' }],
    ['/en/rest', { kind: 'lesson', lang: 'en', slug: 'rest' }],
    ['/ru/how-a-request-travels/', { kind: 'lesson', lang: 'ru', slug: 'how-a-request-travels' }],
    ['/en/rest/extra', { kind: 'not-found', lang: 'en' }],
    ['/en/REST', { kind: 'not-found', lang: 'en' }],
    ['/de/rest', { kind: 'not-found', lang: null }],
    ['/ru/course', { kind: 'course', lang: 'ru', page: 'course' }],
    ['/en/matrix/', { kind: 'course', lang: 'en', page: 'matrix' }],
    ['/en/quiz', { kind: 'course', lang: 'en', page: 'quiz' }],
    ['/ru/class', { kind: 'class', lang: 'ru', page: 'join' }],
    ['/en/class/teach', { kind: 'class', lang: 'en', page: 'teach' }],
    ['/ru/class/card', { kind: 'class', lang: 'ru', page: 'card' }],
    ['/en/class/other', { kind: 'not-found', lang: 'en' }],
    ['/en/compare', { kind: 'compare', lang: 'en' }],
    ['/ru/compare/', { kind: 'compare', lang: 'ru' }],
    ['/en/my-server', { kind: 'my-server', lang: 'en' }],
    ['/ru/my-server/', { kind: 'my-server', lang: 'ru' }],
    ['/ru/my-server/extra', { kind: 'not-found', lang: 'ru' }],
    ['/en/glossary', { kind: 'glossary', lang: 'en' }],
    ['/ru/search', { kind: 'search', lang: 'ru' }],
    ['/ru/capture/AbCdEfGhIjKlMnOpQr_-12', { kind: 'capture', lang: 'ru', id: 'AbCdEfGhIjKlMnOpQr_-12' }],
    ['/en/capture', { kind: 'lesson', lang: 'en', slug: 'capture' }],
    ['/en/capture/a/b', { kind: 'not-found', lang: 'en' }],
  ])('%s', (path, route) => {
    expect(parseRoute(path)).toEqual(route);
  });
});

describe('pathInLang', () => {
  it('keeps the lesson, or the list, in the other language', () => {
    expect(pathInLang('/en/rest', 'ru')).toBe('/ru/rest');
    expect(pathInLang('/ru/', 'en')).toBe('/en/');
    expect(pathInLang('/ru/no/such/page', 'en')).toBe('/en/no/such/page');
    expect(pathInLang('/', 'ru')).toBe('/ru/');
    expect(pathInLang('/en/quiz', 'ru')).toBe('/ru/quiz');
    expect(pathInLang('/en/class/teach', 'ru')).toBe('/ru/class/teach');
    expect(pathInLang('/en/class/card', 'ru')).toBe('/ru/class/card');
    expect(pathInLang('/ru/class', 'en')).toBe('/en/class');
    expect(pathInLang('/en/compare', 'ru')).toBe('/ru/compare');
    expect(pathInLang('/ru/my-server', 'en')).toBe('/en/my-server');
    expect(pathInLang('/ru/glossary', 'en')).toBe('/en/glossary');
    expect(pathInLang('/en/search', 'ru')).toBe('/ru/search');
    expect(pathInLang('/en/capture/AbCdEfGhIjKlMnOpQr_-12', 'ru')).toBe('/ru/capture/AbCdEfGhIjKlMnOpQr_-12');
  });
});

describe('pickLang', () => {
  it('prefers the remembered choice, then the browser languages in order, then English', () => {
    expect(pickLang('ru', ['en-US'])).toBe('ru');
    expect(pickLang(null, ['de-DE', 'ru-RU', 'en'])).toBe('ru');
    expect(pickLang('xx', ['en-GB', 'ru'])).toBe('en');
    expect(pickLang(null, ['fr'])).toBe('en');
  });
});

describe('estimateClockOffset', () => {
  const sent = Date.parse('2025-01-01T12:00:00.200Z');
  it('treats offsets below the Date header resolution as the same clock', () => {
    expect(estimateClockOffset('Wed, 01 Jan 2025 12:00:00 GMT', sent, sent + 20)).toBe(0);
  });
  it('measures a server clock that runs a minute ahead', () => {
    expect(estimateClockOffset('Wed, 01 Jan 2025 12:01:00 GMT', sent, sent + 20)).toBe(60_000 + 500 - 210);
  });
  it('ignores a missing or broken header', () => {
    expect(estimateClockOffset(null, sent, sent)).toBe(0);
    expect(estimateClockOffset('yesterday', sent, sent)).toBe(0);
  });
});
