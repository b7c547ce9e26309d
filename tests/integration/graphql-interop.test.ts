import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';

// Clients nobody here wrote: Debian's python3-requests and python3-websockets (.ci/run
// installs them) against /graphql, the subscription fed by a post created over REST.
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./interop/graphql_interop.py', import.meta.url));

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

describe('python3-requests and python3-websockets as the clients', () => {
  it('a query over HTTP/1.1, then a graphql-transport-ws subscription that gets a REST post', async () => {
    const sandbox = `gql-py-${process.pid}`;
    const started = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the Python subscription never started')), 15_000);
      const onStarted = (_field: string, startedIn: string) => {
        if (startedIn !== sandbox) return;
        clearTimeout(timer);
        server.app.graphqlSubscriptions.off('started', onStarted);
        resolve();
      };
      server.app.graphqlSubscriptions.on('started', onStarted);
    });
    const child = spawn(PYTHON, [SCRIPT, server.origin, sandbox]);
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async () => {
      const line = await lines.next();
      if (line.done) throw new Error(`the Python client exited: ${stderr}`);
      return JSON.parse(line.value);
    };
    try {
      expect(await next()).toEqual({
        query: {
          status: 200,
          type: 'application/graphql-response+json; charset=utf-8',
          body: { data: { user: { name: 'Barbara Liskov' } }, extensions: expect.any(Object) },
        },
      });
      expect(await next()).toEqual({ acked: true });
      await started;
      const created = await fetch(`${server.origin}/api/v1/posts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-wirelab-sandbox': sandbox },
        body: JSON.stringify({ author_id: 8, title: 'Data abstraction', content: 'From REST to Python.' }),
      });
      expect(created.status).toBe(201);
      expect(await next()).toEqual({ next: { data: { postAdded: { title: 'Data abstraction', author: { name: 'Barbara Liskov' } } } } });
    } finally {
      child.kill();
    }
  });
});

// Each body as python3-requests sends it, with the Accept given (None: requests sends no Accept).
const REQUEST_PARAMETERS = `
import json, sys, requests
url, cases = sys.argv[1], json.loads(sys.argv[2])
observed = []
for case in cases:
    answer = requests.post(url, data=case["body"], headers={"content-type": "application/json", "accept": case["accept"]}, timeout=10)
    body = answer.json()
    body = body[0] if isinstance(body, list) else body
    observed.append({
        "status": answer.status_code,
        "type": answer.headers["content-type"].split(";")[0],
        "code": body["errors"][0]["extensions"]["code"] if "errors" in body else None,
        "data": body.get("data"),
    })
print(json.dumps(observed))
`;

describe('request parameters (GraphQL over HTTP, "Request Parameters"), python3-requests as the client', () => {
  async function post(cases: Array<{ body: string; accept: string | null }>) {
    const { stdout } = await promisify(execFile)(PYTHON, ['-c', REQUEST_PARAMETERS, `${server.origin}/graphql`, JSON.stringify(cases)], { timeout: 30_000 });
    return JSON.parse(stdout) as Array<{ status: number; type: string; code: string | null; data: unknown }>;
  }

  it('null for an optional parameter is as if it were absent: answered', async () => {
    const bodies = [
      '{"query":"{ __typename }","extensions":null}',
      '{"query":"{ __typename }","variables":null,"operationName":null}',
      '[{"query":"{ __typename }","extensions":null}]',
    ];
    const answers = await post(bodies.map((body) => ({ body, accept: 'application/json' })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers[0]).toMatchObject({ type: 'application/json', code: null, data: { __typename: 'Query' } });
  });

  it('a parameter of the wrong type is not a well-formed request: 400 BAD_REQUEST for either media type, nothing runs', async () => {
    const bodies = [
      '{"query":0}',
      '{"query":["{ __typename }"]}',
      '{"query":{"a":1}}',
      '{"query":"{ __typename }","operationName":0}',
      '{"query":"{ __typename }","operationName":["x"]}',
      '{"query":"{ __typename }","variables":0}',
      '{"query":"{ __typename }","variables":[7]}',
      '{"query":"{ __typename }","variables":"{}"}',
      '{"query":"{ __typename }","extensions":0}',
      '"{ __typename }"',
    ];
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const answers = await post(bodies.map((body) => ({ body, accept })));
      for (const [i, answer] of answers.entries()) {
        expect({ body: bodies[i], ...answer }).toEqual({ body: bodies[i], status: 400, type: accept, code: 'BAD_REQUEST', data: null });
      }
    }
  });

  it('no Accept header counts as application/graphql-response+json (the spec since 2025): a validation error is 400', async () => {
    const [answer] = await post([{ body: '{"query":"{ nope }"}', accept: null }]);
    expect(answer).toEqual({ status: 400, type: 'application/graphql-response+json', code: 'GRAPHQL_VALIDATION_FAILED', data: null });
  });
});
