import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ConnectionQuota, quotaKey, quotaKeyOf } from './connection-quota.ts';

function request(headers: Record<string, string>, address = '10.0.0.7'): IncomingMessage {
  return { headers, socket: { remoteAddress: address } } as unknown as IncomingMessage;
}

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

describe('quotaKeyOf', () => {
  it('is the browser session of the cookie', () => {
    expect(quotaKeyOf(request({ cookie: 'wirelab_session=abcdefghijklmnopqrstuv' }))).toBe('abcdefghijklmnopqrstuv');
  });

  it('is the sandbox and the address without a session', () => {
    expect(quotaKeyOf(request({ 'x-wirelab-sandbox': 'class-a' }))).toBe('class-a@10.0.0.7');
    expect(quotaKeyOf(request({}))).toBe('shared@10.0.0.7');
  });
});
