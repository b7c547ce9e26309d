// npm run bench (raw WebSocket part): one chat line broadcast to 500 raw WebSocket clients in the
// room of /ws/chat (subprotocol wirelab.chat.v1), repeated, against a server in its own process
// (no byte tap). Prints the delivery latency of every single delivery (p50/p99) and of the last
// delivery of each broadcast: the same measurement as bench/socket-io.ts, without Socket.IO.
//
// All clients live in this one process, so one clock times the send and every arrival; the
// figures include this process parsing 500 JSON frames in turn.
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { startBenchServer, percentile } from './bench-process.ts';

const CLIENTS = Number(process.env.BENCH_WS_CLIENTS ?? 500);
const BROADCASTS = Number(process.env.BENCH_WS_BROADCASTS ?? 100);
/** Clients connecting at once: 500 handshakes in one burst would measure the accept queue instead. */
const CONNECT_BATCH = 50;
const DELIVERY_TIMEOUT_MS = 30_000;

interface ChatClient {
  socket: WebSocket;
  /** called with each chat line's text as it arrives */
  onLine: ((text: string) => void) | null;
}

/**
 * One client: a browser session of its own (the connection quota counts per session) in the one
 * sandbox `bench` that all share (the header picks the sandbox), so the chat room is common to all.
 */
async function connectClient(port: number, index: number): Promise<ChatClient> {
  const session = randomBytes(16).toString('base64url');
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws/chat?name=client-${index}`, ['wirelab.chat.v1'], {
    headers: { cookie: `wirelab_session=${session}`, 'x-wirelab-sandbox': 'bench' },
  });
  const client: ChatClient = { socket, onLine: null };
  await new Promise<void>((resolve, reject) => {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { type: string; text?: string };
      if (message.type === 'welcome') resolve();
      else if (message.type === 'message') client.onLine?.(message.text!);
    });
    socket.once('error', reject);
    socket.once('close', (code) => reject(new Error(`client ${index} closed with ${code}`)));
  });
  return client;
}

async function main(): Promise<void> {
  const { child, port } = await startBenchServer();
  const clients: ChatClient[] = [];
  try {
    for (let first = 0; first < CLIENTS; first += CONNECT_BATCH) {
      const batch = Array.from({ length: Math.min(CONNECT_BATCH, CLIENTS - first) }, (_, i) => connectClient(port, first + i));
      clients.push(...(await Promise.all(batch)));
    }
    console.log(`Raw WebSocket broadcast: ${CLIENTS} clients of /ws/chat in one room, ${BROADCASTS} broadcasts`);

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
          client.onLine = (line) => {
            if (line !== text) return;
            client.onLine = null;
            last = performance.now() - sentAt;
            deliveries.push(last);
            arrived += 1;
            if (arrived === CLIENTS) {
              clearTimeout(timer);
              resolve();
            }
          };
        }
      });
      // A different sender each round: no single connection comes near its lines-per-second limit.
      const sender = clients[round % CLIENTS];
      sentAt = performance.now();
      sender.socket.send(text);
      await allArrived;
      lastDeliveries.push(last);
    }

    deliveries.sort((a, b) => a - b);
    lastDeliveries.sort((a, b) => a - b);
    const ms = (value: number): string => `${value.toFixed(2)} ms`;
    console.log(`  every delivery (${deliveries.length}): p50 ${ms(percentile(deliveries, 50))}, p99 ${ms(percentile(deliveries, 99))}`);
    console.log(`  last delivery of each broadcast: p50 ${ms(percentile(lastDeliveries, 50))}, p99 ${ms(percentile(lastDeliveries, 99))}`);
  } finally {
    for (const client of clients) client.socket.terminate();
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

await main();
