import { describe, expect, it } from 'vitest';
import { describe as name, tooDeep } from './schemas.ts';

describe('tooDeep', () => {
  it('counts brackets outside strings, up to the limit', () => {
    expect(tooDeep('{"a":[1,{"b":2}]}', 3)).toBe(false);
    expect(tooDeep('{"a":[1,{"b":[2]}]}', 3)).toBe(true);
    expect(tooDeep(`{"text":"${'['.repeat(100)}"}`, 2)).toBe(false);
    expect(tooDeep(`{"text":"\\"${'{'.repeat(100)}"}`, 2)).toBe(false);
    expect(tooDeep(`${'['.repeat(1_000_000)}`)).toBe(true);
  });
});

describe('describe', () => {
  it('names a value without walking into it', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(name(deep)).toBe('an array');
    expect(name({ a: 1 })).toBe('an object');
    expect(name('x'.repeat(100))).toBe(`"${'x'.repeat(40)}…"`);
    expect(name(true)).toBe('true');
  });
});
