import { describe, expect, it } from 'vitest';
import { countRu, russianPlural } from './russian-plural.ts';

describe('Russian plural forms', () => {
  it('picks one, few or many the way Russian counts', () => {
    const forms = [1, 2, 5, 11, 21, 22, 25, 111].map((count) => countRu(count, 'урок', 'урока', 'уроков'));
    expect(forms).toEqual(['1 урок', '2 урока', '5 уроков', '11 уроков', '21 урок', '22 урока', '25 уроков', '111 уроков']);
  });

  it('says 0, 12–14 and 112 with many, 101 with one, and a fraction with few', () => {
    expect([0, 12, 14, 112, 101, 104].map((count) => russianPlural(count, 'one', 'few', 'many'))).toEqual(['many', 'many', 'many', 'many', 'one', 'few']);
    expect(russianPlural(1.5, 'one', 'few', 'many')).toBe('few');
  });
});
