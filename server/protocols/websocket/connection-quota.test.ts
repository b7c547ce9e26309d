import { describe, expect, it } from 'vitest';
import { ConnectionQuota, quotaKey } from './connection-quota.ts';

describe('ConnectionQuota', () => {
  it('refuses past the maximum and frees a slot once, however often release is called', () => {
    const quota = new ConnectionQuota(2);
    const first = quota.take('a');
    const second = quota.take('a');
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(quota.take('a')).toBeNull();
    expect(quota.take('b')).not.toBeNull();
    first!();
    first!();
    expect(quota.countOf('a')).toBe(1);
    expect(quota.take('a')).not.toBeNull();
    expect(quota.take('a')).toBeNull();
  });

  it('keys by session, else by sandbox and address', () => {
    expect(quotaKey('s1', 'shared', '127.0.0.1')).toBe('s1');
    expect(quotaKey(null, 'shared', '127.0.0.1')).toBe('shared@127.0.0.1');
  });
});
