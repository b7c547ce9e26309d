import { expect } from 'vitest';
import type { ClassroomStore, ServerChecksRecord } from './classroom-store.ts';

// What both stores must do with "check my server" runs (sqlite- and redis-classroom-store.test.ts
// run it): `a` and `b` are one store, or two instances sharing one.

const record = (protocol: 'rest' | 'grpc', passed: number): ServerChecksRecord => ({
  cell: { protocol, ms: passed, passed, failed: 1, notOffered: 0, failedIds: ['x'], targetIsWirelab: false, port: 8000 },
  checks: [{ id: 'x', outcome: 'fail', difference: { en: 'e', ru: 'р' } }],
});

export async function serverChecksStoreCases(a: ClassroomStore, b: ClassroomStore): Promise<void> {
  const { code } = (await a.createClass('Servers'))!;
  const anna = await a.join(code, 'Анна', null);
  const bob = await b.join(code, 'Bob', null);
  if (!anna.ok || !bob.ok) throw new Error('join failed');
  expect(await b.memberBySession('s-anna')).toBeNull();
  await a.bindSession(anna.member.id, 's-anna');
  expect((await b.memberBySession('s-anna'))?.id).toBe(anna.member.id);
  // a newer session of the member replaces the old; a session used by another member moves to them
  await b.bindSession(anna.member.id, 's-anna-2');
  expect(await a.memberBySession('s-anna')).toBeNull();
  expect((await a.memberBySession('s-anna-2'))?.id).toBe(anna.member.id);
  await a.bindSession(bob.member.id, 's-anna-2');
  expect((await b.memberBySession('s-anna-2'))?.id).toBe(bob.member.id);

  // the latest run per protocol, in the protocols' order
  expect(await a.recordServerChecks(anna.member.id, record('grpc', 3))).toBe('ok');
  expect(await b.recordServerChecks(anna.member.id, record('rest', 5))).toBe('ok');
  expect(await a.recordServerChecks(anna.member.id, record('rest', 9))).toBe('ok');
  expect((await b.serverCellsOfClass(code)).get(anna.member.id)?.map((cell) => [cell.protocol, cell.passed])).toEqual([
    ['rest', 9],
    ['grpc', 3],
  ]);
  expect(await b.serverChecks(anna.member.id, 'rest')).toEqual(record('rest', 9));
  expect(await b.serverChecks(bob.member.id, 'rest')).toBeNull();
  expect(await a.recordServerChecks(987654, record('rest', 1))).toBe('NO_SUCH_MEMBER');

  // an ended class keeps what it had and takes no more
  await a.updateClassStatus(code, { endedMs: 1 });
  expect(await b.recordServerChecks(anna.member.id, record('rest', 1))).toBe('CLASS_ENDED');
  await a.updateClassStatus(code, { endedMs: null });

  // a removed member's runs and session go with them
  await a.bindSession(anna.member.id, 's-anna-3');
  expect(await a.removeMember(code, anna.member.id)).toBe(true);
  expect(await b.memberBySession('s-anna-3')).toBeNull();
  expect(await b.serverChecks(anna.member.id, 'rest')).toBeNull();
  expect((await b.serverCellsOfClass(code)).size).toBe(0);
  await b.recordServerChecks(bob.member.id, record('rest', 2));
  await a.deleteClass(code);
  expect(await b.memberBySession('s-anna-2')).toBeNull();
  expect(await a.serverChecks(bob.member.id, 'rest')).toBeNull();
}
