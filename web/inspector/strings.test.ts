import { describe, expect, it } from 'vitest';
import { inspectorStrings } from './strings.ts';

function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [`${prefix}:${typeof value}`];
  return Object.entries(value)
    .flatMap(([key, inner]) => keyPaths(inner, prefix ? `${prefix}.${key}` : key))
    .sort();
}

describe('inspector strings', () => {
  it('has the same keys (and kinds of value) in Russian and English', () => {
    expect(keyPaths(inspectorStrings.ru)).toEqual(keyPaths(inspectorStrings.en));
  });

  it('has no empty string', () => {
    for (const path of [...keyPaths(inspectorStrings.ru), ...keyPaths(inspectorStrings.en)]) expect(path).not.toMatch(/^:/);
    const values = (dict: object): unknown[] => Object.values(dict).flatMap((value) => (typeof value === 'object' ? values(value) : [value]));
    expect(values(inspectorStrings.ru).filter((value) => value === '')).toEqual([]);
    expect(values(inspectorStrings.en).filter((value) => value === '')).toEqual([]);
  });

  it('points to the list where it is: above the details, never beside them', () => {
    // .insp-body stacks the timeline over the details at every width
    expect(inspectorStrings.en.selectHint).toMatch(/above/);
    expect(inspectorStrings.ru.selectHint).toMatch(/выше/);
    expect(inspectorStrings.en.selectHint).not.toMatch(/left/);
    expect(inspectorStrings.ru.selectHint).not.toMatch(/слева/);
  });
});
