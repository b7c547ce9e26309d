import { describe, expect, it } from 'vitest';
import type { HttpExchange } from '../../wire/types.ts';
import { missIdentity } from './miss-identity.ts';

const exchange = (conn: string, index: number) => ({ conn, index }) as HttpExchange;

describe('missIdentity', () => {
  it('is the same for the same exchange however much else was captured since', () => {
    const miss = { kind: 'response-differs', exchange: exchange('c1', 0), difference: { what: 'body' } } as const;
    expect(missIdentity(miss, undefined)).toBe(missIdentity({ ...miss }, undefined));
  });

  it('differs for a new request and for a new answer', () => {
    const first = missIdentity({ kind: 'wrong-answer', exchange: exchange('c1', 0) }, '42');
    expect(missIdentity({ kind: 'wrong-answer', exchange: exchange('c1', 1) }, '42')).not.toBe(first);
    expect(missIdentity({ kind: 'wrong-answer', exchange: exchange('c1', 0) }, '43')).not.toBe(first);
  });
});
