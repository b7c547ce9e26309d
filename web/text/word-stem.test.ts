import { describe, expect, it } from 'vitest';
import { findPhrase, isFormOf, stemWord, wantedWord, wordsOf } from './word-stem.ts';

const formOf = (text: string, wanted: string) => isFormOf(wordsOf(text)[0], wantedWord(wanted));

describe('word stems', () => {
  it("gives a Russian noun's forms one stem", () => {
    for (const form of ['кадр', 'кадры', 'кадра', 'кадров', 'кадрами', 'кадрах']) expect(stemWord(form), form).toBe('кадр');
    for (const form of ['рукопожатие', 'рукопожатия', 'рукопожатием']) expect(stemWord(form), form).toBe('рукопожат');
    for (const form of ['подписка', 'подписки', 'подписку', 'подпиской']) expect(stemWord(form), form).toBe('подписк');
  });

  it('reads ё as е and ignores case', () => {
    expect(stemWord('Сохранённое')).toBe(stemWord('сохраненное'));
    expect(stemWord('ТРЁХЭТАПНОЕ')).toBe(stemWord('трехэтапного'));
  });

  it("gives an English word's forms one stem", () => {
    expect(stemWord('frames')).toBe(stemWord('frame'));
    expect(stemWord('caching')).toBe(stemWord('cache'));
    expect(stemWord('statuses')).toBe(stemWord('status'));
    expect(stemWord('handshakes')).toBe(stemWord('handshake'));
  });

  it('finds a word in its forms, and a short stem only whole', () => {
    expect(formOf('кадрами', 'кадры')).toBe(true);
    expect(formOf('подписками', 'подписка')).toBe(true);
    expect(formOf('поля', 'поле')).toBe(true);
    expect(formOf('полезная', 'поле')).toBe(false);
    expect(formOf('строго', 'стрим')).toBe(false);
    expect(formOf('стримят', 'стрим')).toBe(true);
  });

  it('finds a phrase whose words are neighbours, across a line break or a hyphen', () => {
    const text = 'Трёхэтапного\nрукопожатия не видно. Рукопожатие; трёхэтапное — нет. keep-alive, N+1.';
    expect(findPhrase(text, 'трёхэтапное рукопожатие').map((place) => text.slice(place.start, place.end))).toEqual(['Трёхэтапного\nрукопожатия']);
    expect(findPhrase(text, 'keep alive')).toHaveLength(1);
    expect(findPhrase(text, 'N+1')).toHaveLength(1);
  });
});
