import { ConnectError, Code } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { refusals } from './address-guard.ts';
import { CheckStopped } from './connection.ts';
import { grpcFailureOf } from './grpc-relay.ts';

const target = { host: '127.0.0.1', port: 50051 };
const call = { silent: false, answered: false };
const wrapped = (cause: unknown) => new ConnectError('wrapped', Code.Unavailable, undefined, undefined, cause);

describe('what a call to my server ends with when it has no status', () => {
  it('the guard’s refusal, in its own words', () => {
    const refusal = refusals.off();
    expect(grpcFailureOf(wrapped(refusal), call, target)).toEqual({ reason: 'refused', message: refusal.localized });
  });

  it('the connection’s fact, found down the cause chain', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', receivedBytes: 17 });
    expect(grpcFailureOf(wrapped(wrapped(reset)), call, target)).toMatchObject({
      reason: 'connection',
      message: { en: 'The server reset the connection (TCP RST) after sending 17 bytes.' },
    });
  });

  it('silence after the request, and an answer without grpc-status', () => {
    expect(grpcFailureOf(new ConnectError('no answer', Code.DeadlineExceeded), { silent: true, answered: false }, target)).toMatchObject({
      reason: 'no-answer',
      message: { en: expect.stringMatching(/within 5 s/), ru: expect.stringMatching(/за 5 с/) },
    });
    expect(grpcFailureOf(new ConnectError('protocol error: missing status', Code.Internal), call, target)).toMatchObject({ reason: 'no-grpc-status' });
  });

  it('nothing for a page that is gone, or a status the server sent', () => {
    expect(grpcFailureOf(wrapped(new CheckStopped()), call, target)).toBeNull();
    expect(grpcFailureOf(new ConnectError('no such user', Code.NotFound), call, target)).toBeNull();
  });
});
