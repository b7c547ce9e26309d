import type { CapturedChunk, ConnectionInfo, Direction, Transport } from './capture-types.ts';
import { now, type CaptureSequence, type SessionCapture } from './session-capture.ts';

/**
 * A connection Wirelab opened itself, to a student's server (server/own-server): Wirelab is the
 * client. The session that asked owns it from its first byte, so there is nothing to frame or
 * claim; directions keep the channel's meaning (`in` client → server: what Wirelab sent).
 */
export interface OutboundRecorder {
  /** the connection's id in the capture channel, known before it connects (a check reports it) */
  readonly id: string;
  /** the TCP connection is up: announced with its two ends, and the bytes written before it go out */
  connected(client: { address?: string; port?: number }, server: { address?: string; port?: number }): void;
  /** bytes Wirelab wrote (`in`) */
  sent(chunk: Uint8Array): void;
  /** bytes the student's server sent (`out`) */
  received(chunk: Uint8Array): void;
  closed(): void;
}

export class OutboundConnection implements OutboundRecorder {
  private offsets = { in: 0, out: 0 };
  /** what was written while the TCP connection was still being made (Node queues such writes) */
  private early: CapturedChunk[] = [];
  private announced = false;
  private info: ConnectionInfo | null = null;

  constructor(
    readonly id: string,
    private readonly transport: Transport,
    private readonly capture: SessionCapture,
    private readonly hub: CaptureSequence,
  ) {}

  connected(client: { address?: string; port?: number }, server: { address?: string; port?: number }): void {
    if (this.announced) return;
    this.announced = true;
    // `remote` is the client's end and `local` the server's, as for every connection: here the
    // client is Wirelab, so a pcapng export shows Wirelab's port → the student's server.
    this.info = { id: this.id, transport: this.transport, remote: endpoint(client), local: endpoint(server), openedAt: now(), outbound: true };
    this.capture.addConnection(this.info);
    for (const chunk of this.early) this.capture.record(chunk);
    this.early = [];
  }

  sent(chunk: Uint8Array): void {
    this.take('in', chunk);
  }

  received(chunk: Uint8Array): void {
    this.take('out', chunk);
  }

  closed(): void {
    this.early = [];
    if (!this.info || this.info.closedAt !== undefined) return;
    this.info.closedAt = now();
    this.capture.closeConnection(this.info);
  }

  private take(dir: Direction, bytes: Uint8Array): void {
    const offset = this.offsets[dir];
    this.offsets[dir] += bytes.length;
    if (bytes.length === 0 || !this.capture.recording || this.info?.closedAt !== undefined) return;
    // A copy: a client may reuse or unmask the Buffer it wrote or read after we saw it.
    const chunk: CapturedChunk = { conn: this.id, seq: this.hub.nextSeq(), dir, t: now(), offset, data: Buffer.from(bytes) };
    if (this.announced) this.capture.record(chunk);
    else this.early.push(chunk);
  }
}

function endpoint(side: { address?: string; port?: number }): string {
  return `${side.address ?? '?'}:${side.port ?? 0}`;
}
