import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { newSessionId } from '../session/session-id.ts';
import { AddressBudget } from './address-budget.ts';
import { withClientLimits } from './client-limits.ts';
import { ConnectionQuota, quotaKey, quotaKeyOf } from './connection-quota.ts';

function request(headers: Record<string, string>, address = '10.0.0.7'): IncomingMessage {
  return { headers, socket: { remoteAddress: address } } as unknown as IncomingMessage;
}

describe('ConnectionQuota', () => {
  it('refuses past the maximum and frees a slot once, however often release is called', () => {
    const quota = new ConnectionQuota(2);
    const first = quota.take('a');
    const second = quota.take('a');
    expect(first.release).toBeDefined();
    expect(second.release).toBeDefined();
    expect(quota.take('a').refused).toEqual({ scope: 'session', max: 2 });
    expect(quota.take('b').release).toBeDefined();
    first.release!();
    first.release!();
    expect(quota.countOf('a')).toBe(1);
    expect(quota.take('a').release).toBeDefined();
    expect(quota.take('a').refused).toBeDefined();
  });

  it('holds per address whatever the key: fresh cookies from one address meet its budget', () => {
    const budget = new AddressBudget(withClientLimits({ connections: { sse: { perAddress: 3, server: 5 } } }));
    const quota = new ConnectionQuota(6, { budget, kind: 'sse' });
    const taken = [1, 2, 3].map((n) => quota.take(`cookie-${n}`, '10.0.0.7'));
    expect(taken.every((t) => t.release)).toBe(true);
    expect(quota.take('cookie-4', '::ffff:10.0.0.7').refused).toEqual({ scope: 'address', max: 3 });
    // Another address still gets in, up to the server's budget.
    expect(quota.take('other-1', '10.0.0.8').release).toBeDefined();
    expect(quota.take('other-2', '10.0.0.8').release).toBeDefined();
    expect(quota.take('other-3', '10.0.0.8').refused).toEqual({ scope: 'server', max: 5 });
    taken[0].release!();
    taken[0].release!();
    expect(budget.openCount('sse', '10.0.0.7')).toBe(2);
    expect(quota.take('cookie-4', '10.0.0.7').release).toBeDefined();
  });

  it('keys by session, else by sandbox and address', () => {
    expect(quotaKey('s1', 'shared', '127.0.0.1')).toBe('s1');
    expect(quotaKey(null, 'shared', '127.0.0.1')).toBe('shared@127.0.0.1');
  });
});

describe('quotaKeyOf', () => {
  it('is the browser session of the cookie', () => {
    const session = newSessionId();
    expect(quotaKeyOf(request({ cookie: `wirelab_session=${session}` }))).toBe(session);
  });

  it('is the sandbox and the address without a session', () => {
    expect(quotaKeyOf(request({ 'x-wirelab-sandbox': 'class-a' }))).toBe('class-a@10.0.0.7');
    expect(quotaKeyOf(request({}))).toBe('shared@10.0.0.7');
  });
});
