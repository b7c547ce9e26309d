// An echo at /ws/echo on `ws`, right in everything the suite checks, with one fault to switch on.
// A browser drops: `wrong-accept` (the 101's Sec-WebSocket-Accept is not base64(SHA-1(key + GUID)))
// and `masked` (the server masks its echoes and pongs). One a family of the checks from
// Autobahn|Testsuite (checks/websocket-autobahn.ts), as a server written by hand might get it wrong:
//   echo-cut-at-64k            framing: an echo longer than 65 535 bytes comes back cut there
//   pong-empty                 pings: every pong goes back without the ping's data
//   rsv-ignored                reserved bits: RSV1–3 of the client's frames are not looked at
//   reserved-opcode-as-binary  opcodes: a reserved opcode is taken for a binary frame
//   fragments-lenient          fragmentation: a control frame's FIN = 0 and a new data frame inside a message pass
//   no-utf8-check              UTF-8: text is not validated (ws's skipUTF8Validation)
//   close-not-answered         closing: a close frame is answered by cutting TCP, with no close frame
//   too-big-cut                limits: no maximum in the library; a message over 1 MiB is answered by cutting TCP
// `ws` checks the client's frames itself, so the three faults it has no switch for are made by a
// front that rewrites the client's frames (wire/websocket/frame-codec.ts) before `ws` reads them.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeFrame, splitFrames, type WholeFrame } from '../../../wire/websocket/frame-codec.ts';

export type WebSocketFault =
  | ''
  | 'wrong-accept'
  | 'masked'
  | 'echo-cut-at-64k'
  | 'pong-empty'
  | 'rsv-ignored'
  | 'reserved-opcode-as-binary'
  | 'fragments-lenient'
  | 'no-utf8-check'
  | 'close-not-answered'
  | 'too-big-cut';

/** The largest message the right fixture takes, as Python websockets' default max_size; past it ws closes with 1009. */
const MAX_MESSAGE_BYTES = 1024 * 1024;
const REWRITTEN: ReadonlySet<WebSocketFault> = new Set(['rsv-ignored', 'reserved-opcode-as-binary', 'fragments-lenient']);

export async function startWebSocketFixture(fault: WebSocketFault = ''): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((_request, response) => response.writeHead(404).end());
  const sockets = new WebSocketServer({
    server,
    path: '/ws/echo',
    autoPong: false,
    skipUTF8Validation: fault === 'no-utf8-check',
    ...(fault === 'too-big-cut' ? {} : { maxPayload: MAX_MESSAGE_BYTES }),
  });
  if (fault === 'wrong-accept') {
    sockets.on('headers', (headers) => {
      const index = headers.findIndex((line) => line.toLowerCase().startsWith('sec-websocket-accept:'));
      headers[index] = 'Sec-WebSocket-Accept: dGhlIHNhbXBsZSBub25jZQ==';
    });
  }
  sockets.on('connection', (socket) => echo(socket, fault));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const front = REWRITTEN.has(fault) ? await startRewritingFront((server.address() as AddressInfo).port, fault) : null;
  return {
    port: ((front ?? server).address() as AddressInfo).port,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      if (front) await new Promise<void>((resolve) => front.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function echo(socket: WebSocket, fault: WebSocketFault): void {
  const mask = fault === 'masked';
  // a protocol error is the close frame the check expects; ws also reports it as an error
  socket.on('error', () => undefined);
  socket.on('message', (data: Buffer, isBinary) => {
    if (fault === 'too-big-cut' && data.length > MAX_MESSAGE_BYTES) return socket.terminate();
    socket.send(fault === 'echo-cut-at-64k' ? data.subarray(0, 65_535) : data, { binary: isBinary, mask });
  });
  socket.on('ping', (data) => socket.pong(fault === 'pong-empty' ? Buffer.alloc(0) : data, mask));
  if (fault === 'close-not-answered') {
    // ws answers a close frame through close(); this server hangs up instead
    const close = socket.close.bind(socket);
    socket.close = (code?: number, reason?: string | Buffer) =>
      (socket as WebSocket & { _closeFrameReceived: boolean })._closeFrameReceived ? socket.terminate() : close(code, reason);
  }
}

/** A TCP front to `port` that passes the handshake as it is and rewrites every client frame after it for `fault`. */
async function startRewritingFront(port: number, fault: WebSocketFault) {
  const front = createTcpServer((client: Socket) => {
    const upstream = connect(port, '127.0.0.1');
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    const rewrite = frameRewriter(fault);
    let pending = Buffer.alloc(0);
    let handshakeDone = false;
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      if (!handshakeDone) {
        const end = pending.indexOf('\r\n\r\n');
        if (end === -1) return;
        upstream.write(pending.subarray(0, end + 4));
        pending = pending.subarray(end + 4);
        handshakeDone = true;
      }
      const { frames, rest } = splitFrames(pending);
      pending = Buffer.from(rest);
      // masked again as it came (an unmasked client frame stays one: ws fails it with 1002 as ever)
      for (const frame of frames) upstream.write(encodeFrame({ ...rewrite(frame), maskKey: frame.masked ? randomBytes(4) : null }));
    });
  });
  front.listen(0, '127.0.0.1');
  await once(front, 'listening');
  return front;
}

function frameRewriter(fault: WebSocketFault): (frame: WholeFrame) => WholeFrame {
  let messageOpen = false;
  return (frame) => {
    if (fault === 'rsv-ignored') return { ...frame, rsv: 0 };
    if (fault === 'reserved-opcode-as-binary')
      return [0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf].includes(frame.opcode) ? { ...frame, opcode: 0x2 } : frame;
    // fragments-lenient: a fragmented control frame counts as whole, a new data frame inside a message as its continuation
    if (frame.opcode >= 0x8) return { ...frame, fin: true };
    const opcode = messageOpen ? 0x0 : frame.opcode;
    if (opcode !== 0x0 || messageOpen) messageOpen = !frame.fin;
    return { ...frame, opcode };
  };
}
