// npm run bench (Socket.IO part): one chat message broadcast to a room of 500 Socket.IO clients,
// repeated, against a server in its own process (no byte tap). Prints the delivery latency of
// every single delivery (p50/p99) and of the last delivery of each broadcast.
//
// All clients live in this one process, so one clock times the emit and every arrival; the
// figures include this process handling 500 sockets in turn, which is what a fan-out costs a
// single machine end to end.
import { once } from 'node:events';
import { io, type Socket } from 'socket.io-client';
import { newSession } from './chat-clients.ts';
import { startBenchServer, percentile } from './bench-process.ts';

const CLIENTS = Number(process.env.BENCH_SIO_CLIENTS ?? 500);
const BROADCASTS = Number(process.env.BENCH_SIO_BROADCASTS ?? 100);
/** Clients connecting at once: 500 handshakes in one burst would measure the accept queue instead. */
const CONNECT_BATCH = 50;
const ROOM = 'bench';
const DELIVERY_TIMEOUT_MS = 30_000;

/**
 * One client: a browser session of its own (the connection quota counts per session) in the one
 * sandbox `bench` that all share (the header picks the sandbox), so the room is common to all.
 */
async function connectClient(origin: string, index: number): Promise<Socket> {
  const session = await newSession(Number(new URL(origin).port));
  const socket = io(origin, {
    forceNew: true,
    transports: ['websocket'],
    reconnection: false,
    auth: { name: `client-${index}` },
    extraHeaders: { cookie: `wirelab_session=${session}`, 'x-wirelab-sandbox': 'bench' },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const reply = (await socket.timeout(DELIVERY_TIMEOUT_MS).emitWithAck('chat:join', ROOM)) as { ok: boolean };
  if (!reply.ok) throw new Error(`client ${index} could not join: ${JSON.stringify(reply)}`);
  return socket;
}

async function main(): Promise<void> {
  const { child, origin } = await startBenchServer();
  const clients: Socket[] = [];
  try {
    for (let first = 0; first < CLIENTS; first += CONNECT_BATCH) {
      const batch = Array.from({ length: Math.min(CONNECT_BATCH, CLIENTS - first) }, (_, i) => connectClient(origin, first + i));
      clients.push(...(await Promise.all(batch)));
    }
    console.log(`Socket.IO broadcast: ${CLIENTS} clients over WebSocket in one room, ${BROADCASTS} broadcasts`);

    const deliveries: number[] = [];
    const lastDeliveries: number[] = [];
    for (let round = 0; round < BROADCASTS; round++) {
      const text = `round ${round}`;
      let sentAt = 0;
      let arrived = 0;
      let last = 0;
      const allArrived = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`round ${round}: ${arrived}/${CLIENTS} deliveries in ${DELIVERY_TIMEOUT_MS} ms`)), DELIVERY_TIMEOUT_MS);
        for (const client of clients) {
          const onMessage = (message: { text: string }): void => {
            if (message.text !== text) return;
            client.off('chat:message', onMessage);
            last = performance.now() - sentAt;
            deliveries.push(last);
            arrived += 1;
            if (arrived === CLIENTS) {
              clearTimeout(timer);
              resolve();
            }
          };
          client.on('chat:message', onMessage);
        }
      });
      // A different sender each round: no single socket comes near its events-per-second limit.
      const sender = clients[round % CLIENTS];
      sentAt = performance.now();
      sender.emit('chat:message', { room: ROOM, text });
      await allArrived;
      lastDeliveries.push(last);
    }

    deliveries.sort((a, b) => a - b);
    lastDeliveries.sort((a, b) => a - b);
    const ms = (value: number): string => `${value.toFixed(2)} ms`;
    console.log(`  every delivery (${deliveries.length}): p50 ${ms(percentile(deliveries, 50))}, p99 ${ms(percentile(deliveries, 99))}`);
    console.log(`  last delivery of each broadcast: p50 ${ms(percentile(lastDeliveries, 50))}, p99 ${ms(percentile(lastDeliveries, 99))}`);
  } finally {
    for (const client of clients) client.disconnect();
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

await main();
