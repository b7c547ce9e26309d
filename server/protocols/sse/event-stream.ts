import type { ServerResponse } from 'node:http';
import type { DomainEvent } from '../../domain/index.ts';
import { formatComment, formatEvent } from '../../../wire/sse/encode-sse.ts';
import { MAX_BUFFERED_BYTES } from './limits.ts';

/**
 * One open text/event-stream response. Writes go straight to the response (HTTP/1.1 chunked or
 * an HTTP/2 stream); while the client is not reading, what waits is counted, and past
 * MAX_BUFFERED_BYTES the stream is ended: the client resumes with Last-Event-ID.
 */
export class EventStream {
  private waiting = 0;
  private readonly heartbeat: NodeJS.Timeout;
  ended = false;

  constructor(
    private readonly response: ServerResponse,
    heartbeatMs: number,
  ) {
    // A comment after each quiet period, not on a fixed clock: a busy stream needs none.
    this.heartbeat = setTimeout(() => {
      this.write(formatComment('keep-alive'));
    }, heartbeatMs);
    response.on('drain', () => {
      this.waiting = 0;
    });
  }

  write(text: string): void {
    if (this.ended) return;
    this.heartbeat.refresh();
    if (this.waiting > 0) {
      this.waiting += Buffer.byteLength(text);
      if (this.waiting > MAX_BUFFERED_BYTES) {
        this.end();
        return;
      }
    }
    if (!this.response.write(text)) this.waiting += Buffer.byteLength(text);
  }

  sendEvent(event: DomainEvent): void {
    this.write(formatEvent({ id: event.id, event: event.type, data: JSON.stringify(event.data) }));
  }

  end(last?: string): void {
    if (this.ended) return;
    if (last !== undefined) this.write(last);
    this.ended = true;
    clearTimeout(this.heartbeat);
    this.response.end();
  }

  stop(): void {
    this.ended = true;
    clearTimeout(this.heartbeat);
  }
}
