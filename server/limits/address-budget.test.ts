import { describe, expect, it } from 'vitest';
import { AddressBudget, clientAddress } from './address-budget.ts';
import { clientLimitsFromEnv, DEFAULT_CLIENT_LIMITS, limitVariable, withClientLimits } from './client-limits.ts';

describe('AddressBudget.takeRequest', () => {
  it('spends a bucket per address, refills it over the window and says when to retry', () => {
    let now = 0;
    const budget = new AddressBudget(withClientLimits({ rates: { rest: { perAddress: 4, windowMs: 8_000 } } }), () => now);
    for (let i = 0; i < 4; i++) expect(budget.takeRequest('rest', '10.0.0.7').ok).toBe(true);
    const refused = budget.takeRequest('rest', '::ffff:10.0.0.7');
    expect(refused).toEqual({ ok: false, retryAfterS: 2, max: 4, windowMs: 8_000 });
    expect(budget.takeRequest('rest', '10.0.0.8').ok).toBe(true);
    // Another kind has a bucket of its own.
    expect(budget.takeRequest('graphql', '10.0.0.7').ok).toBe(true);
    now = 2_000; // one token back
    expect(budget.takeRequest('rest', '10.0.0.7').ok).toBe(true);
    expect(budget.takeRequest('rest', '10.0.0.7').ok).toBe(false);
  });
});

describe('AddressBudget.takeRequest with a cost', () => {
  it('spends bytes, not requests, and lets a cost above the bucket through only when it is full', () => {
    let now = 0;
    const budget = new AddressBudget(withClientLimits({ rates: { grpcBytes: { perAddress: 1000, windowMs: 10_000 } } }), () => now);
    expect(budget.takeRequest('grpcBytes', '10.0.0.7', 600).ok).toBe(true);
    expect(budget.takeRequest('grpcBytes', '10.0.0.7', 600)).toEqual({ ok: false, retryAfterS: 2, max: 1000, windowMs: 10_000 });
    expect(budget.takeRequest('grpcBytes', '10.0.0.7', 400).ok).toBe(true);
    now = 10_000;
    expect(budget.takeRequest('grpcBytes', '10.0.0.7', 5000).ok).toBe(true);
    expect(budget.takeRequest('grpcBytes', '10.0.0.7', 1).ok).toBe(false);
  });
});

describe('AddressBudget.takeSlot', () => {
  it('refuses past the address budget, then past the server budget, and counts each release once', () => {
    const budget = new AddressBudget(withClientLimits({ connections: { graphqlWs: { perAddress: 2, server: 3 } } }));
    const a1 = budget.takeSlot('graphqlWs', '10.0.0.7');
    const a2 = budget.takeSlot('graphqlWs', '10.0.0.7');
    expect(budget.takeSlot('graphqlWs', '10.0.0.7').refused).toEqual({ scope: 'address', max: 2 });
    expect(budget.takeSlot('graphqlWs', '10.0.0.8').release).toBeDefined();
    expect(budget.takeSlot('graphqlWs', '10.0.0.9').refused).toEqual({ scope: 'server', max: 3 });
    a1.release!();
    a1.release!();
    expect(budget.openCount('graphqlWs')).toBe(2);
    expect(budget.openCount('graphqlWs', '10.0.0.7')).toBe(1);
    expect(budget.takeSlot('graphqlWs', '10.0.0.9').release).toBeDefined();
    expect(a2.release).toBeDefined();
  });
});

describe('client limits', () => {
  it('keep every per-address cap below the server-wide one', () => {
    for (const limit of Object.values(DEFAULT_CLIENT_LIMITS.connections)) expect(limit.perAddress).toBeLessThan(limit.server);
  });

  it('read LIMIT_… variables and refuse a typo instead of switching a budget off', () => {
    expect(limitVariable('graphqlWs', 'perAddress')).toBe('LIMIT_GRAPHQL_WS_PER_ADDRESS');
    expect(limitVariable('longPoll', 'server')).toBe('LIMIT_LONG_POLL_SERVER');
    const limits = clientLimitsFromEnv({ LIMIT_GRAPHQL_WS_PER_ADDRESS: '120', LIMIT_REST_PER_ADDRESS: '3000' });
    expect(limits.connections.graphqlWs).toEqual({ perAddress: 120, server: 256 });
    expect(limits.rates.rest.perAddress).toBe(3000);
    expect(limits.connections.sse).toEqual(DEFAULT_CLIENT_LIMITS.connections.sse);
    expect(() => clientLimitsFromEnv({ LIMIT_SSE_PER_ADDRESS: '12o' })).toThrow(/LIMIT_SSE_PER_ADDRESS/);
    expect(() => clientLimitsFromEnv({ LIMIT_SSE_SERVER: '0' })).toThrow();
  });

  it('one address is one client whether written as IPv4 or IPv4-mapped IPv6', () => {
    expect(clientAddress('::ffff:192.168.1.20')).toBe('192.168.1.20');
    expect(clientAddress(undefined)).toBe('?');
  });
});
