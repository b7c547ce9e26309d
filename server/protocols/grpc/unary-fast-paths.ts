import type { FastifyReply, FastifyRequest } from 'fastify';
import { Code, ConnectError, type ContextValues } from '@connectrpc/connect';
import type { UniversalServerResponse } from '@connectrpc/connect/protocol';
import { universalResponseToNodeResponse } from '@connectrpc/connect-node';
import { requestBytesSpentKey } from './context.ts';
import { unaryConnectMethod, unaryConnectTypeOf, type ConnectHandlerOptions, type UnaryImplSpec } from './unary-connect-call.ts';
import { unaryGrpcMethod, unaryGrpcTypeOf } from './unary-grpc-call.ts';

export type { UnaryImplSpec };

/** The per-address byte budget checked before a body is read: an answer refuses the call. */
export type RefuseUnary = (contentLength: number, contentType: string, values: ContextValues) => UniversalServerResponse | null;

export interface UnaryFastPathStats {
  /** unary Connect calls answered by the fast path (unary-connect-call.ts) */
  unaryFastPath: number;
  /** unary native gRPC calls answered by the fast path (unary-grpc-call.ts) */
  unaryGrpcFastPath: number;
  /** unary native gRPC calls the fast path read and handed to the plugin's route (not one uncompressed envelope) */
  unaryGrpcReplayed: number;
  /** unary Connect calls left to the plugin's route whose buffered body was handed to it as bytes (plugin-body.ts) */
  unaryBodyToPlugin: number;
}

interface FastMethods {
  connect: ReturnType<typeof unaryConnectMethod>;
  grpc: ReturnType<typeof unaryGrpcMethod>;
}

/** Writes a refusal (or any universal response) itself; Fastify keeps the reply's headers until reply.send, never called here. */
async function answerDirectly(reply: FastifyReply, response: UniversalServerResponse): Promise<void> {
  reply.hijack();
  for (const [key, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(key, value);
  await universalResponseToNodeResponse(response, reply.raw);
}

/**
 * The fast paths in front of `@connectrpc/connect-fastify`'s routes, as one preHandler: a unary
 * Connect POST over HTTP/1.1 with a declared length (`unary-connect-call.ts`) and a unary native
 * gRPC call over HTTP/2 without request compression (`unary-grpc-call.ts`) are answered here
 * (the reply hijacked); a gRPC body that is not one uncompressed envelope is put back as
 * `request.body`, which the plugin hands to connect-es as the request body; everything else is
 * left to the plugin's route untouched. Why they exist: README, "What a Connect call costs".
 */
export function unaryFastPaths(
  specs: UnaryImplSpec[],
  handlerOptions: ConnectHandlerOptions,
  { refuseUnary, stats, inTurnsFromBytes }: { refuseUnary?: RefuseUnary; stats?: UnaryFastPathStats; inTurnsFromBytes?: number },
): (request: FastifyRequest, reply: FastifyReply, values: ContextValues) => Promise<void> {
  const byPath = new Map<string, FastMethods>();
  for (const spec of specs) {
    byPath.set(`/${spec.method.parent.typeName}/${spec.method.name}`, {
      connect: unaryConnectMethod(spec, handlerOptions, inTurnsFromBytes),
      grpc: unaryGrpcMethod(spec, handlerOptions, inTurnsFromBytes),
    });
  }
  const count = (key: keyof UnaryFastPathStats): void => {
    if (stats) stats[key] += 1;
  };

  async function answer(request: FastifyRequest, reply: FastifyReply, values: ContextValues, fast: FastMethods): Promise<void> {
    const contentType = request.headers['content-type'] ?? '';
    const type = unaryConnectTypeOf(request.raw, handlerOptions.readMaxBytes);
    if (type) {
      count('unaryFastPath');
      const refusal = refuseUnary?.(type.length, contentType, values);
      if (refusal) return answerDirectly(reply, refusal);
      const frameworkHeaders = reply.getHeaders();
      reply.hijack();
      return fast.connect({ raw: request.raw, response: reply.raw, type, values, frameworkHeaders });
    }
    const grpcType = unaryGrpcTypeOf(request.raw);
    if (!grpcType) return;
    // The budget counts what connect-es's wrapper counts (a declared length, which gRPC clients rarely send), once.
    const refusal = refuseUnary?.(Number(request.headers['content-length'] ?? 0), contentType, values);
    values.set(requestBytesSpentKey, true);
    if (refusal) return answerDirectly(reply, refusal);
    const frameworkHeaders = reply.getHeaders();
    let replayed = false;
    await fast.grpc({
      raw: request.raw,
      response: reply.raw,
      type: grpcType,
      values,
      frameworkHeaders,
      taken: () => {
        count('unaryGrpcFastPath');
        reply.hijack();
      },
      replay: async (body) => {
        count('unaryGrpcReplayed');
        replayed = true;
        // connect-fastify passes request.body to connect-es as the body when it is defined.
        request.body = body;
      },
    });
    // Neither answered nor replayed: the client went away while its body was read, nobody is left to answer.
    if (!replayed && !reply.sent) reply.hijack();
  }

  return async (request, reply, values) => {
    const fast = byPath.get(request.routeOptions.url ?? '');
    if (!fast) return;
    try {
      await answer(request, reply, values, fast);
    } catch (e) {
      // The body may be half read: the plugin's route must not run after a failed fast path.
      if (!reply.sent) reply.hijack();
      if (ConnectError.from(e).code === Code.Aborted) return;
      request.log.error({ err: e }, `fast path for rpc ${request.routeOptions.url} failed`);
      if (!reply.raw.writableEnded) reply.raw.destroy();
    }
  };
}
