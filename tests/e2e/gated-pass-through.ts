// A TCP pass-through on loopback that holds every byte its clients send until the test opens it:
// "check my server" pointed here is still running, for certain, while the test does what must
// happen during a run. Bytes pass unchanged once open (the checks' verdicts do not change).
import { createConnection, createServer, type Socket } from 'node:net';

export interface GatedPassThrough {
  /** host:port to give "check my server" */
  target: string;
  /** lets everything held, and everything after, through */
  open(): void;
  close(): Promise<void>;
}

export async function startGatedPassThrough(upstreamPort: number): Promise<GatedPassThrough> {
  let opened = false;
  const waiting: Array<() => void> = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: upstreamPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    upstream.pipe(client);
    const pass = () => client.pipe(upstream);
    if (opened) pass();
    else {
      client.pause();
      waiting.push(pass);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    target: `127.0.0.1:${port}`,
    open() {
      opened = true;
      for (const pass of waiting.splice(0)) pass();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
