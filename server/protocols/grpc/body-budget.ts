import type { ContextValues } from '@connectrpc/connect';
import type { UniversalHandler, UniversalServerResponse } from '@connectrpc/connect/protocol';
import type { AddressBudget } from '../../limits/address-budget.ts';
import { clientAddressKey, requestBytesSpentKey } from './context.ts';
import { protocolOf } from './interceptors.ts';
import { ENVELOPE_FLAGS, encodeEnvelope } from '../../../wire/grpc/envelope.ts';

const RESOURCE_EXHAUSTED = '8';

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

/** RESOURCE_EXHAUSTED in the shape of the request's protocol, written before its body is read. */
export function resourceExhausted(contentType: string, message: string, retryAfterS: number): UniversalServerResponse {
  const header = new Headers({ 'retry-after': String(retryAfterS) });
  if (protocolOf(contentType) !== 'connect') {
    // gRPC and gRPC-Web: a trailers-only response, the status in the headers.
    header.set('content-type', contentType);
    header.set('grpc-status', RESOURCE_EXHAUSTED);
    header.set('grpc-message', encodeURIComponent(message));
    return { status: 200, header };
  }
  const error = { code: 'resource_exhausted', message };
  if (contentType.startsWith('application/connect+')) {
    const envelope = encodeEnvelope(ENVELOPE_FLAGS.connectEndStream, new TextEncoder().encode(JSON.stringify({ error })));
    header.set('content-type', contentType);
    return { status: 200, header, body: once(envelope) };
  }
  header.set('content-type', 'application/json');
  return { status: 429, header, body: once(new TextEncoder().encode(JSON.stringify(error))) };
}

/**
 * Spends a call's declared body length from its client address's `grpcBytes` budget
 * (server/limits/); past the budget, the refusal to answer instead of the call.
 */
export function requestBytesRefusal(
  budget: AddressBudget,
): (bytes: number, contentType: string, values: ContextValues | undefined) => UniversalServerResponse | null {
  return (bytes, contentType, values) => {
    if (!(bytes > 0)) return null;
    const volume = budget.takeRequest('grpcBytes', values?.get(clientAddressKey), bytes);
    if (volume.ok) return null;
    const message = `too many request bytes from your network address: at most ${volume.max / 1024 / 1024} MiB per ${volume.windowMs / 1000} s, retry in ${volume.retryAfterS} s`;
    return resourceExhausted(contentType, message, volume.retryAfterS);
  };
}

/**
 * Spends a call's declared body length (`content-length`; gRPC streams over h2c declare none)
 * from its client address's `grpcBytes` budget (server/limits/), and refuses it past the budget
 * before a byte of the body is read or parsed: a client sending 1 MB echoes must not cost the
 * server a parse for each refusal.
 */
export function budgetRequestBytes(budget: AddressBudget): (handler: UniversalHandler) => UniversalHandler {
  const refusal = requestBytesRefusal(budget);
  return (handler) => {
    const wrapped = async (req: Parameters<UniversalHandler>[0]): Promise<UniversalServerResponse> => {
      // the gRPC fast path spent them already before it handed the call over
      if (req.contextValues?.get(requestBytesSpentKey)) return handler(req);
      return refusal(Number(req.header.get('content-length') ?? 0), req.header.get('content-type') ?? '', req.contextValues) ?? handler(req);
    };
    return Object.assign(wrapped, handler);
  };
}
