import { describe, expect, it, vi } from 'vitest';

const connection = (id: string) =>
  JSON.stringify({ type: 'connection', conn: { id, transport: 'http/1.1', remote: '127.0.0.1:50000', local: '127.0.0.1:8080', openedAt: 1 } });

describe("the teacher's captures on a follower's page", () => {
  it("keep another server process's connections apart, marked, and start afresh for the same process", async () => {
    vi.resetModules();
    const { deliverTeacherWire } = await import('./teacher-wire-sink.ts');
    const { teacherCaptures } = await import('./teacher-captures.ts');
    const ids = () => teacherCaptures.connections().map((view) => `${view.connection.id}${view.beforeRestart ? ' (before)' : ''}`);

    deliverTeacherWire(JSON.stringify({ type: 'reset', instance: 'p1' }));
    deliverTeacherWire(connection('c1'));
    expect(ids()).toEqual(['c1']);
    // the server restarted: its c1 is another connection, listed apart
    deliverTeacherWire(JSON.stringify({ type: 'reset', instance: 'p2' }));
    deliverTeacherWire(connection('c1'));
    expect(ids()).toEqual(['c1 (before)', 'r1-c1']);
    // a new teacher session on that same process: its own earlier traffic goes, the old process's stays
    deliverTeacherWire(JSON.stringify({ type: 'reset', instance: 'p2' }));
    expect(ids()).toEqual(['c1 (before)']);
  });
});
