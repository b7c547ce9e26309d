import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curlCommand } from '../../web/editors/http/curl-command.ts';
import { decodeConnection } from '../../web/wire/decode-connection.ts';
import type { CapturedConnection } from '../../web/wire/types.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

const run = promisify(execFile);
let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

/** One captured connection, decoded as the inspector decodes it. */
function decoded(capture: CaptureClient, id: string) {
  const connection = capture.connections().find((c) => c.id === id) as unknown as CapturedConnection;
  const closed = capture.messages.find((m) => m.type === 'closed' && m.conn === id);
  const chunks = capture
    .chunks()
    .filter((chunk) => chunk.conn === id)
    .map((chunk) => ({ ...chunk, data: new Uint8Array(Buffer.from(chunk.data, 'base64')) }));
  return decodeConnection(closed ? { ...connection, closedAt: closed.t as number } : connection, chunks);
}

describe('the tap over h2c', () => {
  it('records the final DATA with END_STREAM of every exchange curl --http2-prior-knowledge makes', async () => {
    // Lesson 1's HTTP/2 step: "copy as curl", then add --http2-prior-knowledge. curl 7.88 closes the
    // connection as soon as it has content-length bytes of body, which raced the session's last frame.
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    const command = curlCommand(
      { method: 'GET', target: '/api/v1/users?limit=2', version: null, headers: [{ name: 'Accept', value: 'application/json', line: 2 }], body: null, requestLine: 1 } as Parameters<typeof curlCommand>[0],
      server.origin,
      session,
    );
    const attempts = 10;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const { stdout } = await run('sh', ['-c', `${command} --http2-prior-knowledge -s -o /dev/null -w '%{http_version} %{http_code}'`]);
      expect(stdout).toBe('2 200');
    }
    await capture.waitFor(
      () => capture.connections().filter((c) => c.transport === 'h2c' && capture.messages.some((m) => m.type === 'closed' && m.conn === c.id)).length === attempts,
    );
    const outcomes = capture
      .connections()
      .filter((c) => c.transport === 'h2c')
      .map((c) => {
        const { exchanges, messages } = decoded(capture, c.id);
        const endStream = (messages ?? []).some((m) => m.dir === 'out' && m.fields?.type === 'DATA' && m.fields.streamId === 1 && m.fields.endStream === true);
        return `${exchanges.length} exchange ${exchanges[0]?.response?.status} complete=${exchanges[0]?.response?.complete} END_STREAM=${endStream}`;
      });
    expect(outcomes).toEqual(Array(attempts).fill('1 exchange 200 complete=true END_STREAM=true'));
    await capture.close();
  });
});
