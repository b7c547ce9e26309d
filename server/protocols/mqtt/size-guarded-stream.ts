import { Duplex } from 'node:stream';
import { MqttPacketSizeGuard, type SizeVerdict } from './packet-size-guard.ts';
import { ClientPacketGate, type RefusedPacket } from './client-packet-gate.ts';
import type { Violation } from './client-packet-rules.ts';
import { WriteBatch } from './write-batch.ts';

/** A transport that can take a write without a queue of its own (TapSocket.writeDirect). */
interface DirectWritable {
  writeDirect(chunk: Buffer, callback?: (error?: Error | null) => void): boolean;
}

/** A transport that can hand its reads over past its Readable (TapSocket.readDirectly). */
interface DirectReadable {
  readDirectly(reader: (chunk: Buffer) => void): void;
}

export type Refusal = Exclude<SizeVerdict, 'ok'> | Violation;

/**
 * Passes a connection's bytes to the broker while its packet size guard agrees; a packet that
 * declares too much ends the connection (MQTT 3.1.1 has no other way to refuse a packet). Then
 * each whole packet goes through the client packet gate: one that breaks a rule of MQTT 3.1.1
 * ends the connection before the broker reads it, after a CONNACK when the rule names one.
 *
 * The other way, it joins what the broker writes in one tick into one write: aedes writes a
 * packet in pieces (fixed header, length, topic, payload), and over WebSocket each write would
 * be a binary message of its own — a PUBLISH in four messages on the wire and in the inspector.
 */
export class SizeGuardedStream extends Duplex {
  private waitingForDrain: (() => void) | null = null;
  /** what the broker wrote in this tick, written on as one piece when the tick ends */
  private readonly batch = new WriteBatch();
  private flushScheduled = false;
  /** the transport's last write answered false, and its 'drain' has not come yet */
  private transportFull = false;
  /** write() answered false: the broker waits for this stream's 'drain' */
  private toldToWait = false;
  /**
   * end() or destroy() was called: writes go through the Writable, which answers them. Kept here,
   * since writeWhole asks at every delivery and the stream's getters read two states each.
   */
  private writesEnded = false;
  /**
   * Asked for each PUBACK the gate let through: true when it was answered before the broker
   * (direct-delivery.ts, a clean session's), which then never reads it. Absent: every packet goes to the broker.
   */
  tookAcknowledgement: (() => boolean) | undefined = undefined;

  constructor(
    readonly inner: Duplex,
    maxPacketBytes: number,
    /** called before the connection closes (and before a CONNACK is written); `packet`: the packet a rule refused */
    onRefused: (refusal: Refusal, packet?: RefusedPacket) => void,
  ) {
    super({ allowHalfOpen: false });
    // No cork: mqtt-packet corks a stream that has one before every packet it writes and uncorks it
    // on a tick of its own — a process.nextTick and two calls for every message to every
    // subscriber, for nothing, since write() below joins what a tick brings by itself.
    (this as { cork?: unknown }).cork = undefined;
    const guard = new MqttPacketSizeGuard(maxPacketBytes);
    const gate = new ClientPacketGate();
    const fromTransport = (chunk: Buffer): void => {
      const verdict = guard.feed(chunk);
      if (verdict !== 'ok') {
        onRefused(verdict);
        this.destroy();
        return;
      }
      const { passed, violation, refusedPacket } = gate.feed(chunk, this.tookAcknowledgement);
      for (const packet of passed) if (!this.push(packet)) inner.pause();
      if (violation) {
        onRefused(violation, refusedPacket);
        if (violation.connack === undefined) this.destroy();
        // The broker never saw this CONNECT: the CONNACK is written here, and the connection
        // closes once it has left (destroying it at once could drop it).
        else inner.end(Buffer.from([0x20, 0x02, 0x00, violation.connack]), () => this.destroy());
      }
    };
    inner.on('data', fromTransport);
    // A tapped TCP socket hands its reads straight over while its Readable holds nothing
    // (server/tap/tap-socket.ts): each subscriber's PUBACK is a read of its own.
    (inner as Partial<DirectReadable>).readDirectly?.(fromTransport);
    inner.on('end', () => this.push(null));
    inner.on('drain', () => {
      this.transportFull = false;
      if (this.toldToWait) {
        this.toldToWait = false;
        this.emit('drain');
      }
      const resume = this.waitingForDrain;
      this.waitingForDrain = null;
      resume?.();
    });
    inner.on('error', (error) => this.destroy(error));
    inner.on('close', () => {
      if (!this.destroyed) this.destroy();
    });
  }

  /**
   * A whole packet (direct-delivery.ts: a PUBLISH encoded once), written to the transport at once
   * when nothing of this tick waits before it: no batch, no tick of its own, for each delivery of
   * a fan-out. Behind pieces still in the batch, or a full transport, it waits its turn as any
   * write. The same answer as write(): false while the transport is full, then 'drain'.
   */
  writeWhole(packet: Buffer): boolean {
    if (this.writesEnded || this.transportFull || !this.batch.isEmpty) return this.write(packet);
    if (this.sendToTransport(packet, undefined)) return true;
    this.toldToWait = true;
    return false;
  }

  /**
   * Collects what the broker writes in this tick (write-batch.ts) and writes it to the transport
   * as one piece when the tick ends, straight to the transport: a second Writable between them
   * would queue and call back every write once more, for every message to every subscriber.
   * Backpressure is the transport's: false while it is full, and then 'drain' when it is not.
   */
  override write(chunk: unknown, encoding?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void): boolean {
    const done = typeof encoding === 'function' ? encoding : callback;
    const textEncoding = typeof encoding === 'string' ? encoding : 'utf8';
    // After end() or destroy(), the Writable itself answers (an error to the callback).
    if (this.writableEnded || this.destroyed) return super.write(chunk, textEncoding, done);
    const piece = typeof chunk === 'string' && textEncoding !== 'utf8' && textEncoding !== 'utf-8' ? Buffer.from(chunk, textEncoding) : chunk;
    this.batch.add(piece as Buffer | string, done);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(this.flush);
    }
    if (!this.transportFull) return true;
    this.toldToWait = true;
    return false;
  }

  override end(...args: unknown[]): this {
    this.writesEnded = true;
    this.flush();
    return (super.end as (...endArgs: unknown[]) => this)(...args);
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    if (this.batch.isEmpty) return;
    const { bytes, callback } = this.batch.take();
    if (this.destroyed) {
      callback?.(new Error('the MQTT connection was closed before this was written'));
      return;
    }
    this.sendToTransport(bytes, callback);
  };

  private sendToTransport(bytes: Buffer, callback: ((error?: Error | null) => void) | undefined): boolean {
    // A tapped TCP socket takes it past its own queue (server/tap/tap-socket.ts); a WebSocket stream as any Duplex.
    const direct = (this.inner as Partial<DirectWritable>).writeDirect;
    const written = direct ? direct.call(this.inner, bytes, callback) : this.inner.write(bytes, callback);
    if (!written) this.transportFull = true;
    return written;
  }

  override _read(): void {
    this.inner.resume();
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    this._write(Buffer.concat(chunks.map((c) => c.chunk)), 'binary', callback);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.inner.write(chunk)) callback();
    else this.waitingForDrain = () => callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.inner.end(() => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.writesEnded = true;
    if (!this.inner.destroyed) this.inner.destroy();
    callback(error);
  }
}
