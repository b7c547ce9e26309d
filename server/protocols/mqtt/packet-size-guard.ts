import { RemainingLengthReader } from '../../../wire/mqtt/remaining-length.ts';

/**
 * Follows the packet boundaries of an MQTT byte stream (fixed header, remaining length, body)
 * without parsing bodies, so a packet that declares more than the limit is refused as soon as
 * its length is read, before any of its body is buffered.
 */
export type SizeVerdict = 'ok' | 'too-large' | 'malformed';

export class MqttPacketSizeGuard {
  private phase: 'type' | 'length' | 'body' = 'type';
  private readonly lengthReader = new RemainingLengthReader();
  private bodyLeft = 0;
  private verdict: SizeVerdict = 'ok';

  /** `maxRemainingBytes`: the largest remaining length (everything after the fixed header) allowed. */
  constructor(readonly maxRemainingBytes: number) {}

  feed(chunk: Uint8Array): SizeVerdict {
    let i = 0;
    while (i < chunk.length && this.verdict === 'ok') {
      if (this.phase === 'type') {
        i++;
        this.phase = 'length';
      } else if (this.phase === 'length') {
        const length = this.lengthReader.push(chunk[i++]!);
        if (length === 'more') continue;
        if (length === 'malformed') this.verdict = 'malformed';
        else if (length > this.maxRemainingBytes) this.verdict = 'too-large';
        else if (length === 0) this.phase = 'type';
        else {
          this.phase = 'body';
          this.bodyLeft = length;
        }
      } else {
        const taken = Math.min(this.bodyLeft, chunk.length - i);
        i += taken;
        this.bodyLeft -= taken;
        if (this.bodyLeft === 0) this.phase = 'type';
      }
    }
    return this.verdict;
  }
}
