// Lesson 07's chat written with the socket.io package (the library, so Engine.IO and Socket.IO's
// framing are right) and one of a student's realistic mistakes in the chat's own code, switched
// on by `fault`. A short ping interval, so a poll waiting for what never comes ends in a second.
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

export type SocketIoFault =
  | ''
  /** every CONNECT accepted, a name or not */
  | 'no-auth-check'
  /** chat:join joins but never calls the ack callback */
  | 'no-ack'
  /** socket.to(room).emit: everybody in the room but the sender */
  | 'excludes-sender';

type Ack = (reply: unknown) => void;

export async function startSocketIoFixture(fault: SocketIoFault): Promise<{ port: number; close(): Promise<void> }> {
  const http = createServer();
  const io = new Server(http, { pingInterval: 1_000, pingTimeout: 5_000 });
  io.use((socket, next) => {
    const name = (socket.handshake.auth as { name?: unknown }).name;
    if (fault !== 'no-auth-check' && (typeof name !== 'string' || !name.trim())) return next(new Error('A name is required'));
    next();
  });
  io.on('connection', (socket) => {
    const name = String((socket.handshake.auth as { name?: unknown }).name ?? 'guest');
    socket.on('chat:join', (room: string, ack?: Ack) => {
      void socket.join(room);
      if (fault !== 'no-ack') ack?.({ ok: true, room });
    });
    socket.on('chat:message', ({ room, text }: { room: string; text: string }, ack?: Ack) => {
      const line = { room, name, text, at: new Date().toISOString() };
      if (fault === 'excludes-sender') socket.to(room).emit('chat:message', line);
      else io.to(room).emit('chat:message', line);
      ack?.({ ok: true, room });
    });
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  return {
    port: (http.address() as AddressInfo).port,
    async close() {
      await io.close();
    },
  };
}
