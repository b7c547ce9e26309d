// The Go GraphQL starter (graph-gophers/graphql-go 1.5.0 for the documents, gorilla/websocket for
// graphql-transport-ws, built as its module offline) passes every GraphQL check; each deliberate
// fault fails exactly the checks that should catch it (the same faults and sets as the Python
// starter's), and a server without subscriptions is reported "not offered" for them, never passed.
// Its untouched skeleton fails exactly the checks its TODOs name.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGoSkeletonAndComplete, GO_STARTERS, startGoSkeleton, startGoStarter } from './own-server-go-starters.ts';
import { checkAsLoopbackStudent, checksNamedByTodos, expectSkeletonFailsItsTodos, failingIds, idsWith } from './own-server-starters.ts';

const SUBSCRIPTION_CHECKS = [
  'ws-complete-stops',
  'ws-duplicate-id-4409',
  'ws-init-ack',
  'ws-invalid-message-4400',
  'ws-ping-pong',
  'ws-second-init-4429',
  'ws-subscribe-before-init-4401',
  'ws-subscribe-next',
];

const work = mkdtempSync(join(tmpdir(), 'wirelab-go-graphql-'));
let binary = ''; // the complete version
let skeleton = '';

beforeAll(async () => {
  ({ complete: binary, skeleton } = await buildGoSkeletonAndComplete('graphql', work));
}, 120_000); // a cold Go build on a busy CI machine: a ceiling, not a measurement
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Side by side, each with a server of its own: a suite mostly waits (on its subscriptions' events).
describe.concurrent('starters/go/complete/graphql', () => {
  it.each([
    ['', [], []],
    // every check that sends a GET fails without it; without the GraphQL media type, so do both status rules that need it
    ['no-get', ['get-extensions-json', 'get-operation-name', 'get-query-200', 'get-variables-json'], []],
    ['json-only', ['no-data-4xx-51FE', 'syntax-error-400'], []],
    ['no-depth-limit', ['depth-limit'], []],
    ['ignore-complete', ['ws-complete-stops'], []],
    ['duplicate-ids', ['ws-duplicate-id-4409'], []],
    ['no-subscriptions', [], SUBSCRIPTION_CHECKS],
  ])(
    'with fault "%s" fails exactly %j (not offered: %j)',
    async (fault, failing, notOffered) => {
      const starter = await startGoStarter(binary, fault);
      try {
        const report = await checkAsLoopbackStudent('graphql', starter.port);
        expect(report.results).toHaveLength(35);
        expect(failingIds(report)).toEqual(failing);
        expect(idsWith(report, 'not-offered')).toEqual(notOffered);
      } finally {
        await starter.stop();
      }
    },
    120_000,
  );

  it('leaves no user behind: the suite deletes every user it created', async () => {
    const starter = await startGoStarter(binary, '');
    try {
      await checkAsLoopbackStudent('graphql', starter.port);
      const left = await fetch(`http://127.0.0.1:${starter.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ users(first: 100) { nodes { email } } }' }),
      }).then((response) => response.json());
      expect(left).toEqual({ data: { users: { nodes: [] } } });
    } finally {
      await starter.stop();
    }
  }, 120_000);

  it('its untouched skeleton (starters/go/graphql) listens and fails exactly the checks its TODOs name', async () => {
    const starter = await startGoSkeleton(skeleton);
    try {
      const source = join(GO_STARTERS, 'graphql');
      const named = ['main.go', 'schema.go', 'transport.go'].flatMap((file) => checksNamedByTodos(join(source, file))).sort();
      expect(named).toEqual([
        'depth-limit',
        'get-extensions-json',
        'get-operation-name',
        'get-query-200',
        'get-variables-json',
        'no-data-4xx-51FE',
        'syntax-error-400',
        'ws-complete-stops',
        'ws-duplicate-id-4409',
      ]);
      const report = await expectSkeletonFailsItsTodos('graphql', join(source, 'main.go'), starter.port);
      expect(failingIds(report)).toEqual(named);
      expect(idsWith(report, 'not-offered')).toEqual([]);
    } finally {
      await starter.stop();
    }
  }, 120_000);
});
