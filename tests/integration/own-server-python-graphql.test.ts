// The Python GraphQL starter (graphql-core 2 from Debian, aiohttp; 3 on a student's pip) passes every GraphQL check;
// each deliberate fault fails exactly the check that should catch it, and a server without
// subscriptions is reported "not offered" for them — never passed.
import { describe, expect, it } from 'vitest';
import {
  checkAsLoopbackStudent,
  expectSkeletonFailsItsTodos,
  failingIds,
  idsWith,
  STARTERS,
  startPythonSkeleton,
  startPythonStarter,
} from './own-server-starters.ts';

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

// The tests run side by side, each with a server of its own: a suite mostly waits (on its
// subscriptions' events, on answers that never come), so in turn they were 45 s on CI, not work.
// Side by side each takes about as long as the file: hence their two minutes (a whole-project run
// at load ~30 on two cores took them past one).
describe.concurrent('starters/python/complete/graphql_server.py', () => {
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
      const starter = await startPythonStarter('graphql_server.py', fault);
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

  it('its untouched skeleton (starters/python/graphql_server.py) listens and fails every check its TODOs name', async () => {
    const skeleton = await startPythonSkeleton('graphql_server.py');
    try {
      await expectSkeletonFailsItsTodos('graphql', `${STARTERS}graphql_server.py`, skeleton.port);
    } finally {
      await skeleton.stop();
    }
  }, 120_000);

  it('leaves no user behind: the suite deletes every user it created', async () => {
    const starter = await startPythonStarter('graphql_server.py');
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
});
