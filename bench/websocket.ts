// npm run bench (raw WebSocket part): one chat line broadcast to 500 raw WebSocket clients in the
// room of /ws/chat (subprotocol wirelab.chat.v1), repeated, against a server in its own process
// (no byte tap). Prints the delivery latency of every single delivery (p50/p99) and of the last
// delivery of each broadcast: the same measurement as bench/socket-io.ts, without Socket.IO.
//
// All clients live in this one process, so one clock times the send and every arrival; the
// figures include this process parsing 500 JSON frames in turn.
import { once } from 'node:events';
import { startBenchServer } from './bench-process.ts';
import { connectChatClient, type ChatClient } from './chat-clients.ts';
import { describeFanOut, fanOutRounds } from './fan-out.ts';

const CLIENTS = Number(process.env.BENCH_WS_CLIENTS ?? 500);
const BROADCASTS = Number(process.env.BENCH_WS_BROADCASTS ?? 100);
/** Clients connecting at once: 500 handshakes in one burst would measure the accept queue instead. */
const CONNECT_BATCH = 50;

async function main(): Promise<void> {
  const { child, port } = await startBenchServer();
  const clients: ChatClient[] = [];
  try {
    for (let first = 0; first < CLIENTS; first += CONNECT_BATCH) {
      const batch = Array.from({ length: Math.min(CONNECT_BATCH, CLIENTS - first) }, (_, i) => connectChatClient(port, first + i, 'bench'));
      clients.push(...(await Promise.all(batch)));
    }
    console.log(`Raw WebSocket broadcast: ${CLIENTS} clients of /ws/chat in one room, ${BROADCASTS} broadcasts`);

    // A different sender each round: no single connection comes near its lines-per-second limit.
    const receivers = clients.map((client) => ({
      expect(text: string, arrived: () => void) {
        client.onLine = (line) => {
          if (line !== text) return;
          client.onLine = null;
          arrived();
        };
      },
    }));
    const figures = await fanOutRounds(receivers, BROADCASTS, (text, round) => clients[round % CLIENTS].socket.send(text));
    console.log(`  ${describeFanOut(figures)}`);
  } finally {
    for (const client of clients) client.socket.terminate();
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

await main();
