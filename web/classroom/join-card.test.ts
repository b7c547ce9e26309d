import { describe, expect, it } from 'vitest';
import { cardClassCode, cardLangs, JOIN_CARD_STEPS, joinCardPath, joinUrl, studentOrigins } from './join-card.ts';

describe('the join card', () => {
  it('names the address students type: PUBLIC_URL, else the LAN addresses from localhost, else the page’s own', () => {
    const lanOrigins = ['http://192.168.1.20:8080', 'http://10.0.0.5:8080'];
    expect(
      studentOrigins({ publicOrigin: 'https://wirelab.school.example', lanOrigins, pageOrigin: 'http://localhost:8080', pageHostname: 'localhost' }),
    ).toEqual(['https://wirelab.school.example']);
    expect(studentOrigins({ publicOrigin: null, lanOrigins, pageOrigin: 'http://localhost:8080', pageHostname: 'localhost' })).toEqual(lanOrigins);
    expect(studentOrigins({ publicOrigin: null, lanOrigins: [], pageOrigin: 'http://127.0.0.1:8080', pageHostname: '127.0.0.1' })).toEqual([
      'http://127.0.0.1:8080',
    ]);
    // opened at a LAN address already: that one, which students can reach
    expect(studentOrigins({ publicOrigin: null, lanOrigins, pageOrigin: 'http://10.0.0.5:8080', pageHostname: '10.0.0.5' })).toEqual(['http://10.0.0.5:8080']);
  });

  it('links to the language-neutral join address and to the card without the teacher key', () => {
    expect(joinUrl('http://192.168.1.20:8080', 'K7FM3Q')).toBe('http://192.168.1.20:8080/class?code=K7FM3Q');
    expect(joinCardPath('ru', 'K7FM3Q')).toBe('/ru/class/card?class=K7FM3Q');
    expect(cardClassCode('?class=K7FM3Q')).toBe('K7FM3Q');
    expect(cardClassCode('?class=k7f-m3q')).toBe('K7FM3Q');
    expect(cardClassCode('?class=')).toBeNull();
    expect(cardClassCode('')).toBeNull();
    expect(cardClassCode('?class=%3Cscript%3E')).toBeNull();
  });

  it('carries both languages, the teacher’s first, with the same steps in each', () => {
    expect(cardLangs('ru')).toEqual(['ru', 'en']);
    expect(cardLangs('en')).toEqual(['en', 'ru']);
    expect(Object.keys(JOIN_CARD_STEPS.ru).sort()).toEqual(Object.keys(JOIN_CARD_STEPS.en).sort());
    for (const text of Object.values(JOIN_CARD_STEPS.ru)) expect(text).toMatch(/[а-яё]/i);
    for (const text of Object.values(JOIN_CARD_STEPS.en)) expect(text).not.toMatch(/[а-яё]/i);
  });
});
