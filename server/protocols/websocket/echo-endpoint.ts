import type { RawData, WebSocket } from 'ws';
import { readEchoMessage, splitIntoFragments, type EchoCommand } from './echo-commands.ts';
import type { EchoKnobs } from './endpoint-query.ts';
import { Heartbeat } from './heartbeat.ts';
import { MAX_FRAGMENTS, MAX_PING_INTERVAL_MS, MIN_PING_INTERVAL_MS, type WebSocketLimits } from './limits.ts';
import { bytesOf, sendGuarded } from './send-guarded.ts';

/** The payload of the ping a `fragment` command with `pingBetween` puts after the first fragment. */
export const PING_BETWEEN_FRAGMENTS = 'between fragments';

/**
 * /ws/echo: every text or binary message comes back as it came, in the same kind of frame
 * (split into `knobs.fragments` frames when asked); a text that starts with `{"wirelab":` is a
 * control message (README.md, "Control messages"). Nothing is ever sent unprompted but pings.
 */
export function serveEcho(socket: WebSocket, knobs: EchoKnobs, limits: WebSocketLimits): void {
  const reply = (message: Record<string, unknown>): void => {
    sendGuarded(socket, JSON.stringify(message), limits.maxBufferedBytes);
  };
  const heartbeat = new Heartbeat(socket, knobs.pingMs, (payload, roundTripMs) => reply({ wirelab: 'pong', payload: payload.toString('utf8'), roundTripMs }));
  heartbeat.start();
  socket.on('close', () => heartbeat.stop());

  const sendFragments = (payload: Buffer, binary: boolean, frames: number, pingBetween: boolean): void => {
    const pieces = splitIntoFragments(payload, frames);
    // All in one go: a data frame of another message between these would corrupt this one.
    pieces.forEach((piece, index) => {
      const fin = index === pieces.length - 1;
      if (!sendGuarded(socket, piece, limits.maxBufferedBytes, { binary, fin })) return;
      if (pingBetween && index === 0 && !fin) heartbeat.pingNow(Buffer.from(PING_BETWEEN_FRAGMENTS));
    });
  };

  const run = (command: EchoCommand): void => {
    switch (command.command) {
      case 'help':
        reply({
          wirelab: 'help',
          about: {
            en: 'Any other text or binary message comes back as it is.',
            ru: 'Любое другое сообщение, текстовое или двоичное, возвращается как есть.',
          },
          commands: [
            '{"wirelab":"fragment","text":"hello, fragments","frames":3}',
            '{"wirelab":"fragment","hex":"01 02 03 04","frames":2,"pingBetween":true}',
            '{"wirelab":"ping","payload":"are you there?"}',
            `{"wirelab":"ping-interval","ms":${MIN_PING_INTERVAL_MS}}`,
            '{"wirelab":"close","code":4000,"reason":"bye"}',
            '{"wirelab":"drop"}',
          ],
          query: ['?ping=<ms>', '?fragments=<n>'],
          limits: {
            maxMessageBytes: limits.maxMessageBytes,
            maxFragments: MAX_FRAGMENTS,
            pingIntervalMs: { now: heartbeat.interval, min: MIN_PING_INTERVAL_MS, max: MAX_PING_INTERVAL_MS },
          },
        });
        return;
      case 'fragment':
        sendFragments(command.payload, command.binary, command.frames, command.pingBetween);
        return;
      case 'ping':
        heartbeat.pingNow(command.payload);
        return;
      case 'ping-interval':
        heartbeat.changeInterval(command.ms);
        reply({ wirelab: 'ping-interval', ms: command.ms });
        return;
      case 'close':
        socket.close(command.code, command.reason);
        return;
      case 'drop':
        // The TCP connection ends without a close frame: what a lost network looks like (1006).
        socket.terminate();
        return;
    }
  };

  socket.on('message', (data: RawData, isBinary: boolean) => {
    const payload = bytesOf(data);
    if (!isBinary) {
      const read = readEchoMessage(payload.toString('utf8'));
      if (read.kind === 'command') return run(read.command);
      if (read.kind === 'error') return reply({ wirelab: 'error', code: read.code, message: read.message });
    }
    sendFragments(payload, isBinary, knobs.fragments, false);
  });
}
