import { describe, expect, it } from 'vitest';
import { DEFAULT_OWN_ADDRESS, parseOwnTarget } from './own-target.ts';

describe('the remembered target of the cells and consoles', () => {
  it('reads what was stored, and anything else as Wirelab’s server', () => {
    expect(parseOwnTarget(JSON.stringify({ mode: 'mine', address: '127.0.0.1:5000' }))).toEqual({ mode: 'mine', address: '127.0.0.1:5000' });
    expect(parseOwnTarget(null)).toEqual({ mode: 'wirelab', address: DEFAULT_OWN_ADDRESS });
    expect(parseOwnTarget('{not json')).toEqual({ mode: 'wirelab', address: DEFAULT_OWN_ADDRESS });
    expect(parseOwnTarget(JSON.stringify({ mode: 'elsewhere', address: 42 }))).toEqual({ mode: 'wirelab', address: DEFAULT_OWN_ADDRESS });
    expect(parseOwnTarget(JSON.stringify({ mode: 'mine', address: 'x'.repeat(400) })).address).toHaveLength(300);
  });
});
