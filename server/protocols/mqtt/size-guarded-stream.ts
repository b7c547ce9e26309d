import { Duplex } from 'node:stream';
import { MqttPacketSizeGuard, type SizeVerdict } from './packet-size-guard.ts';
import { ClientPacketGate } from './client-packet-gate.ts';
import type { Violation } from './client-packet-rules.ts';

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
  private corked = false;

  constructor(
    readonly inner: Duplex,
    maxPacketBytes: number,
    onRefused: (refusal: Refusal) => void,
  ) {
    super({ allowHalfOpen: false });
    const write = this.write.bind(this) as (...args: unknown[]) => boolean;
    this.write = ((...args: unknown[]) => {
      if (!this.corked) {
        this.corked = true;
        this.cork();
        process.nextTick(() => {
          this.corked = false;
          this.uncork();
        });
      }
      return write(...args);
    }) as Duplex['write'];
    const guard = new MqttPacketSizeGuard(maxPacketBytes);
    const gate = new ClientPacketGate();
    inner.on('data', (chunk: Buffer) => {
      const verdict = guard.feed(chunk);
      if (verdict !== 'ok') {
        onRefused(verdict);
        this.destroy();
        return;
      }
      const { passed, violation } = gate.feed(chunk);
      for (const packet of passed) if (!this.push(packet)) inner.pause();
      if (violation) {
        onRefused(violation);
        if (violation.connack === undefined) this.destroy();
        // The broker never saw this CONNECT: the CONNACK is written here, and the connection
        // closes once it has left (destroying it at once could drop it).
        else inner.end(Buffer.from([0x20, 0x02, 0x00, violation.connack]), () => this.destroy());
      }
    });
    inner.on('end', () => this.push(null));
    inner.on('drain', () => {
      const resume = this.waitingForDrain;
      this.waitingForDrain = null;
      resume?.();
    });
    inner.on('error', (error) => this.destroy(error));
    inner.on('close', () => {
      if (!this.destroyed) this.destroy();
    });
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
    if (!this.inner.destroyed) this.inner.destroy();
    callback(error);
  }
}
