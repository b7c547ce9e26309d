import { describe, expect, it } from 'vitest';
import { HealthCheckResponse_ServingStatus as Status } from '../../../proto/gen/grpc/health/v1/health_pb.ts';
import { HealthStatuses } from './health-service.ts';
import { LIFECYCLE_LIMITS, SandboxLifecycle } from './sandbox-lifecycle.ts';

const USERS = 'wirelab.users.v1.UserService';

describe('SandboxLifecycle', () => {
  it('a sandbox sees its own status; the server draining wins for everybody', () => {
    const server = new HealthStatuses([USERS]);
    const lifecycle = new SandboxLifecycle(server);
    expect(lifecycle.set('a', USERS, Status.NOT_SERVING)).toBe(Status.SERVING);
    expect(lifecycle.get('a', USERS)).toBe(Status.NOT_SERVING);
    expect(lifecycle.get('b', USERS)).toBe(Status.SERVING);
    expect(lifecycle.all('a').get('')).toBe(Status.SERVING);
    server.setAll(Status.NOT_SERVING);
    expect(lifecycle.get('b', USERS)).toBe(Status.NOT_SERVING);
    expect(lifecycle.get('a', 'no.such.Service')).toBeUndefined();
  });

  it("Watch yields the status now, then each change of its sandbox and service, the server's too", async () => {
    const server = new HealthStatuses([USERS]);
    const lifecycle = new SandboxLifecycle(server);
    const abort = new AbortController();
    const watch = lifecycle.watch('a', USERS, abort.signal);
    expect((await watch.next()).value).toBe(Status.SERVING);
    lifecycle.set('b', USERS, Status.NOT_SERVING); // another sandbox: nothing
    lifecycle.set('a', '', Status.NOT_SERVING); // another service: nothing
    lifecycle.set('a', USERS, Status.NOT_SERVING);
    expect((await watch.next()).value).toBe(Status.NOT_SERVING);
    lifecycle.set('a', USERS, Status.SERVING);
    expect((await watch.next()).value).toBe(Status.SERVING);
    server.set(USERS, Status.NOT_SERVING);
    expect((await watch.next()).value).toBe(Status.NOT_SERVING);
    abort.abort();
    expect((await watch.next()).done).toBe(true);
  });

  it('keeps at most statusOverrides per-sandbox statuses, forgetting the oldest', () => {
    const lifecycle = new SandboxLifecycle(new HealthStatuses([USERS]));
    for (let i = 0; i <= LIFECYCLE_LIMITS.statusOverrides; i++) lifecycle.set(`s${i}`, USERS, Status.NOT_SERVING);
    expect(lifecycle.get('s0', USERS)).toBe(Status.SERVING);
    expect(lifecycle.get(`s${LIFECYCLE_LIMITS.statusOverrides}`, USERS)).toBe(Status.NOT_SERVING);
  });

  it('shutdown without HTTP/2 connections: NOT_SERVING and down, nothing notified', () => {
    const lifecycle = new SandboxLifecycle(new HealthStatuses([USERS]));
    lifecycle.track('a', { httpVersion: '1.1' }); // an HTTP/1.1 request has no session
    expect(lifecycle.shutdown('a', 1000, 60_000)).toBe(0);
    expect(lifecycle.get('a', USERS)).toBe(Status.NOT_SERVING);
    expect(lifecycle.downFor('a')).toBeGreaterThan(0);
    expect(lifecycle.downFor('b')).toBe(0);
  });
});
