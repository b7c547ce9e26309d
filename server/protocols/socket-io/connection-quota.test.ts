import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ConnectionQuota, quotaKeyOf } from './connection-quota.ts';

function request(headers: Record<string, string>, address = '10.0.0.7'): IncomingMessage {
  return { headers, socket: { remoteAddress: address } } as unknown as IncomingMessage;
}

describe('ConnectionQuota', () => {
  it('allows up to the limit and again after a release', () => {
    const quota = new ConnectionQuota(2);
    const first = quota.opened('a');
    quota.opened('a');
    expect(quota.allows('a')).toBe(false);
    expect(quota.allows('b')).toBe(true);
    first();
    first();
    expect(quota.countOf('a')).toBe(1);
    expect(quota.allows('a')).toBe(true);
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
