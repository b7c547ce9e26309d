import type { JsonValue } from '@bufbuild/protobuf';
import { RunnerChannel, runnerUrl } from '../editors/grpc/runner-channel.ts';
import type { RunnerServerMessage } from '../editors/grpc/call-log.ts';
import { LabError } from './lab-error.ts';

export interface RunnerCallResult {
  messages: JsonValue[];
  code: number;
  name: string;
  message: string;
}

interface OpenCall {
  messages: JsonValue[];
  onMessage?: (message: JsonValue) => void;
  resolve: (result: RunnerCallResult) => void;
  reject: (error: Error) => void;
}

/**
 * The server's gRPC runner (a real gRPC client over h2c inside the server) as promises: the only
 * way a browser page gets native gRPC on the wire. One runner channel = one h2c connection.
 */
export class RunnerClient {
  private readonly channel: RunnerChannel;
  private readonly calls = new Map<string, OpenCall>();
  private next = 0;

  constructor() {
    this.channel = new RunnerChannel(
      runnerUrl(window.location),
      (message) => this.onMessage(message),
      (code) => this.failAll(new LabError(`the gRPC runner's channel closed (${code})`, `канал раннера gRPC закрылся (${code})`)),
    );
  }

  /** A unary or server-streaming call (one request message, then half-close): resolves with its status. */
  call(method: string, request: JsonValue): Promise<RunnerCallResult> {
    return this.start(method, [request], true);
  }

  /** A call left open for the server to push into (Chat): messages as they come; cancel() ends it. */
  open(method: string, onMessage: (message: JsonValue) => void): { id: string; done: Promise<RunnerCallResult> } {
    const id = this.newId();
    const done = new Promise<RunnerCallResult>((resolve, reject) => {
      this.calls.set(id, { messages: [], onMessage, resolve, reject });
    });
    done.catch(() => {});
    this.channel.send({ type: 'start', call: id, method, metadata: {}, messages: [], end: false }).catch((error: Error) => this.fail(id, error));
    return { id, done };
  }

  /** A client stream: every message, then half-close. */
  stream(method: string, requests: JsonValue[]): Promise<RunnerCallResult> {
    return this.start(method, requests, true);
  }

  cancel(id: string): void {
    this.channel.send({ type: 'cancel', call: id }).catch(() => {});
  }

  close(): void {
    this.channel.close();
  }

  private start(method: string, messages: JsonValue[], end: boolean): Promise<RunnerCallResult> {
    const id = this.newId();
    const done = new Promise<RunnerCallResult>((resolve, reject) => {
      this.calls.set(id, { messages: [], resolve, reject });
    });
    this.channel.send({ type: 'start', call: id, method, metadata: {}, messages, end }).catch((error: Error) => this.fail(id, error));
    return done;
  }

  private newId(): string {
    this.next += 1;
    return `lab${this.next}`;
  }

  private onMessage(message: RunnerServerMessage): void {
    if (!('call' in message) || !message.call) return;
    const call = this.calls.get(message.call);
    if (!call) return;
    if (message.type === 'message') {
      call.messages.push(message.message);
      call.onMessage?.(message.message);
    } else if (message.type === 'status') {
      this.calls.delete(message.call);
      call.resolve({ messages: call.messages, code: message.code, name: message.name, message: message.message });
    } else if (message.type === 'error') {
      this.fail(message.call, new LabError(message.message.en, message.message.ru));
    }
  }

  private fail(id: string, error: Error): void {
    const call = this.calls.get(id);
    this.calls.delete(id);
    call?.reject(error);
  }

  private failAll(error: Error): void {
    for (const id of [...this.calls.keys()]) this.fail(id, error);
  }
}
