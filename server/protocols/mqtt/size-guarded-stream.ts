import { Duplex } from 'node:stream';
import { MqttPacketSizeGuard, type SizeVerdict } from './packet-size-guard.ts';

/**
 * Passes a connection's bytes to the broker while its packet size guard agrees; a packet that
 * declares too much ends the connection (MQTT 3.1.1 has no other way to refuse a packet).
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
    onRefused: (verdict: Exclude<SizeVerdict, 'ok'>) => void,
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
    inner.on('data', (chunk: Buffer) => {
      const verdict = guard.feed(chunk);
      if (verdict !== 'ok') {
        onRefused(verdict);
        this.destroy();
        return;
      }
      if (!this.push(chunk)) inner.pause();
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
