// What the page says to the server's gRPC runner for one call, and which of its answers are that
// call's (contracts/grpc-runner/messages.ts): pure, so the rules are tested without a socket.
import type { RunnerClientMessage, RunnerServerMessage } from '../../../contracts/grpc-runner/messages.ts';
import type { PreparedCall } from './grpc-inputs.ts';
import { methodPath } from './method-catalog.ts';

/** A call's id on the channel: the cell's id (what the runner accepts of it) and the cell's call count. */
export function runnerCallId(cellId: string, ordinal: number): string {
  return `${cellId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40)}-${ordinal}`;
}

/** The start command; `once`: the request is the only message and the request side ends at once. */
export function startCommand(prepared: Extract<PreparedCall, { ok: true }>, call: string, once: boolean): RunnerClientMessage {
  const command = {
    type: 'start' as const,
    call,
    method: methodPath(prepared.method),
    metadata: prepared.metadata,
    messages: once ? [prepared.request] : [],
    end: once,
  };
  return prepared.timeoutMs === undefined ? command : { ...command, timeoutMs: prepared.timeoutMs };
}

/** Whether a runner message belongs to this call: an error without a call is the channel's, so every call's. */
export function isForCall(message: RunnerServerMessage, call: string): boolean {
  if (message.type === 'hello') return false;
  if (message.type === 'error') return message.call === undefined || message.call === call;
  return message.call === call;
}
