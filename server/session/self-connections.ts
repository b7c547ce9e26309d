import net from 'node:net';

/**
 * Connections this process opens to its own port on a browser session's behalf (the gRPC
 * runner's calls into Wirelab), by their local port. Such a call names its session here, out of
 * band, not in a header: the tap records the connection for that session's inspector, and a
 * header value (even HPACK's Huffman-coded one) would put the session id, the session's
 * credential, on the teacher's projected page.
 */
const sessionsByPort = new Map<number, string>();

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Opens a TCP connection to this server's own `origin` (http://127.0.0.1:8080) for `session`. */
export function connectAsSession(origin: string, session: string): net.Socket {
  const { hostname, port } = new URL(origin);
  const socket = net.connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) });
  // Listening before node:http2 does: the session is known before the client's first byte goes out.
  socket.once('connect', () => {
    const local = socket.localPort;
    if (local === undefined) return;
    sessionsByPort.set(local, session);
    socket.once('close', () => {
      if (sessionsByPort.get(local) === session) sessionsByPort.delete(local);
    });
  });
  return socket;
}

/** The session a connection of this process's own (connectAsSession) works for; null for everyone else's. */
export function sessionOfSelfConnection(socket: { remoteAddress?: string; remotePort?: number } | null | undefined): string | null {
  if (!socket?.remoteAddress || socket.remotePort === undefined || !LOOPBACK.has(socket.remoteAddress)) return null;
  return sessionsByPort.get(socket.remotePort) ?? null;
}
