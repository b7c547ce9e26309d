import type { RawData, WebSocket } from 'ws';
import { readEchoMessage, splitIntoFragments, type EchoCommand } from './echo-commands.ts';
import type { EchoKnobs } from './endpoint-query.ts';
import { Heartbeat, type PongReporter } from './heartbeat.ts';
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
  (socket as EchoSocket)[echoOf] = new EchoConnection(socket, knobs, limits);
  socket.on('close', echoClosed);
  socket.on('message', echoReceived);
}

/**
 * The echo connection of a socket: its listeners are shared functions that find it here (a
 * listener's `this` is the socket), not closures per connection (an idle server holds thousands).
 */
const echoOf = Symbol('wirelab.echo');
type EchoSocket = WebSocket & { [echoOf]: EchoConnection };

function echoClosed(this: WebSocket): void {
  (this as EchoSocket)[echoOf].heartbeat.stop();
}

function echoReceived(this: WebSocket, data: RawData, isBinary: boolean): void {
  (this as EchoSocket)[echoOf].receive(data, isBinary);
}

/**
 * One /ws/echo connection. A class, not closures in serveEcho: an idle server holds one per
 * connection, and under tsx every named closure also gets a `name` property of its own (esbuild's
 * keepNames), a dictionary of a few hundred bytes each (bench/websocket-idle.ts, issue 40).
 */
class EchoConnection implements PongReporter {
  readonly heartbeat: Heartbeat;

  constructor(
    private readonly socket: WebSocket,
    private readonly knobs: EchoKnobs,
    private readonly limits: WebSocketLimits,
  ) {
    this.heartbeat = new Heartbeat(socket, knobs.pingMs, this);
    this.heartbeat.start();
  }

  /** The pong of a ping the client asked for (`{"wirelab":"ping"}`): told to the client. */
  requestedPong(payload: Buffer, roundTripMs: number): void {
    this.reply({ wirelab: 'pong', payload: payload.toString('utf8'), roundTripMs });
  }

  receive(data: RawData, isBinary: boolean): void {
    const payload = bytesOf(data);
    if (!isBinary) {
      const read = readEchoMessage(payload.toString('utf8'));
      if (read.kind === 'command') {
        this.run(read.command);
        return;
      }
      if (read.kind === 'error') {
        this.reply({ wirelab: 'error', code: read.code, message: read.message });
        return;
      }
    }
    this.sendFragments(payload, isBinary, this.knobs.fragments, false);
  }

  private reply(message: Record<string, unknown>): void {
    sendGuarded(this.socket, JSON.stringify(message), this.limits.maxBufferedBytes);
  }

  private sendFragments(payload: Buffer, binary: boolean, frames: number, pingBetween: boolean): void {
    const pieces = splitIntoFragments(payload, frames);
    // All in one go: a data frame of another message between these would corrupt this one.
    for (let index = 0; index < pieces.length; index++) {
      const fin = index === pieces.length - 1;
      if (!sendGuarded(this.socket, pieces[index], this.limits.maxBufferedBytes, { binary, fin })) return;
      if (pingBetween && index === 0 && !fin) this.heartbeat.pingNow(Buffer.from(PING_BETWEEN_FRAGMENTS));
    }
  }

  private run(command: EchoCommand): void {
    const { heartbeat, limits } = this;
    switch (command.command) {
      case 'help':
        this.reply({
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
        this.sendFragments(command.payload, command.binary, command.frames, command.pingBetween);
        return;
      case 'ping':
        heartbeat.pingNow(command.payload);
        return;
      case 'ping-interval':
        heartbeat.changeInterval(command.ms);
        this.reply({ wirelab: 'ping-interval', ms: command.ms });
        return;
      case 'close':
        this.socket.close(command.code, command.reason);
        return;
      case 'drop':
        // The TCP connection ends without a close frame: what a lost network looks like (1006).
        this.socket.terminate();
        return;
    }
  }
}
