import { describe, expect, it } from 'vitest';
import { loopbackReachWarning } from './startup-warnings.ts';

describe('the start-up warning about loopback clients', () => {
  it('is said with HOST=0.0.0.0 and no proxy setting, naming the denied ports, in both languages', () => {
    const warning = loopbackReachWarning({ host: '0.0.0.0', trustProxy: false, ownServers: true, deniedPorts: [5432], redisPort: 6380 });
    expect(warning).toMatch(/every loopback port of this machine except 5432, 6380/);
    expect(warning).toMatch(/TRUST_PROXY/);
    expect(warning).toMatch(/кроме 5432, 6380/);
  });

  it('is not said on loopback only, behind a trusted proxy, or with the feature off', () => {
    const base = { host: '0.0.0.0', trustProxy: false, ownServers: true, deniedPorts: [] };
    expect(loopbackReachWarning({ ...base, host: '127.0.0.1' })).toBeNull();
    expect(loopbackReachWarning({ ...base, trustProxy: true })).toBeNull();
    expect(loopbackReachWarning({ ...base, ownServers: false })).toBeNull();
  });
});
