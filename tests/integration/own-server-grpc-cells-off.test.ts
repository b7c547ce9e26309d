// OWN_SERVERS=off: a gRPC cell aimed at "my server" gets the channel (so the page can say why),
// and every call is refused by the guard, in both languages, without any connection opened.
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OWN_SERVER_RUNNER_PATH } from '../../contracts/grpc-runner/messages.ts';
import { newSession } from './capture-client.ts';
import { RunnerTestClient } from './runner-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

let wirelab: RunningServer;
beforeAll(async () => {
  wirelab = await startServer({ ownServers: false });
});
afterAll(() => wirelab?.close());

it('refuses every call when the feature is off, and connects to nothing', async () => {
  let connected = 0;
  const listener = createServer((socket) => {
    connected += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as { port: number }).port;
  const runner = await RunnerTestClient.open(
    `${wirelab.origin.replace('http', 'ws')}${OWN_SERVER_RUNNER_PATH}?target=127.0.0.1:${port}`,
    await newSession(wirelab.origin),
  );
  try {
    runner.send({ type: 'start', call: 'off', method: 'wirelab.users.v1.UserService/GetUser', metadata: {}, messages: [{ id: 1 }], end: true });
    const refused = await runner.next((m) => m.call === 'off' && (m.type === 'error' || m.type === 'status'));
    expect(refused).toMatchObject({
      type: 'error',
      reason: 'refused',
      message: { en: expect.stringMatching(/OWN_SERVERS=off/), ru: expect.stringMatching(/OWN_SERVERS=off/) },
    });
    expect(connected).toBe(0);
  } finally {
    await runner.close();
    listener.close();
  }
});
