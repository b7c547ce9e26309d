import { describe, expect, it } from 'vitest';
import { expandFigures, figureNames } from './lesson-figures.ts';

const figures = { 'checks.rest': 34, 'checks.mqtt': 41, 'checks.sse': 10 };

describe('expandFigures', () => {
  it('puts the value in place of the name', () => {
    expect(expandFigures('All {{checks.mqtt}} pass.', figures)).toEqual({ markdown: 'All 41 pass.', unknown: [] });
  });

  it('gives a Russian noun the form its number asks', () => {
    const ru = (name: string) => expandFigures(`{{${name}|проверка|проверки|проверок}}`, figures).markdown;
    expect([ru('checks.mqtt'), ru('checks.rest'), ru('checks.sse')]).toEqual(['41 проверка', '34 проверки', '10 проверок']);
  });

  it('leaves a name the code does not give as written, and reports it', () => {
    expect(expandFigures('{{checks.nope}} and {{checks.rest}}', figures)).toEqual({ markdown: '{{checks.nope}} and 34', unknown: ['checks.nope'] });
  });

  it('names every figure a text uses', () => {
    expect(figureNames('{{checks.rest}} … {{ checks.mqtt |a|b|c}}')).toEqual(['checks.rest', 'checks.mqtt']);
  });
});
