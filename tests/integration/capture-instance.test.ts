import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureClient, newSession } from './capture-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

// The capture channel's `hello` names the server process (contracts/capture-channel/PROTOCOL.md,
// "Which server"): the same name on every reconnect to one process, a new one after a restart,
// so the page keeps its earlier captures apart from the restarted server's c1, c2… again.

let server: RunningServer | undefined;
afterAll(async () => {
  await server?.close();
});

const helloOf = (client: CaptureClient) => client.messages.find((message) => message.type === 'hello') as { instance?: unknown };

describe('the capture channel names its server process', () => {
  it('the same one to every channel of one process, another one once it restarted on the same port', async () => {
    const options = { tap: {}, sessionSecret: randomBytes(32) };
    server = await startServer(options);
    const session = await newSession(server.origin);
    const first = await CaptureClient.open(server.origin, session);
    const again = await CaptureClient.open(server.origin, session);
    const other = await CaptureClient.open(server.origin, await newSession(server.origin));
    const instance = helloOf(first).instance;
    expect(instance).toMatch(/^[0-9a-f]{12}$/);
    expect(helloOf(again).instance).toBe(instance);
    expect(helloOf(other).instance).toBe(instance);
    await Promise.all([first.close(), again.close(), other.close()]);

    const { port } = server;
    await server.close();
    server = await startServer(options, port);
    // the same session (the same secret signs its cookie), a new process
    const afterRestart = await CaptureClient.open(server.origin, session);
    expect(helloOf(afterRestart).instance).toMatch(/^[0-9a-f]{12}$/);
    expect(helloOf(afterRestart).instance).not.toBe(instance);
    await afterRestart.close();
  });
});
