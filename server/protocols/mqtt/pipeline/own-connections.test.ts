import { describe, expect, it } from 'vitest';
import { OwnConnectionTokens } from './own-connections.ts';

describe('OwnConnectionTokens', () => {
  it('takes a token once, only from a lab client id, and not after it expired', () => {
    let now = 0;
    const tokens = new OwnConnectionTokens(() => now);
    const token = tokens.issue();
    expect(tokens.redeem('sandbox-1/student', token)).toBe(false);
    expect(tokens.redeem('sandbox-1/pipeline/notifier', Buffer.from(token))).toBe(true);
    expect(tokens.redeem('sandbox-1/pipeline/notifier', token)).toBe(false);
    expect(tokens.redeem('sandbox-1/pipeline/notifier', undefined)).toBe(false);
    const late = tokens.issue();
    now = 61_000;
    expect(tokens.redeem('sandbox-1/pipeline/notifier', late)).toBe(false);
  });
});
