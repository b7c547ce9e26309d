import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DescService } from '@bufbuild/protobuf';
import { Code, ConnectError, createConnectRouter, createServiceImplSpec, type ConnectRouter, type ConnectRouterOptions, type ContextValues, type ServiceImpl } from '@connectrpc/connect';
import { createLinkedAbortController, validateUniversalHandlerOptions, type UniversalHandler, type UniversalServerResponse } from '@connectrpc/connect/protocol';
import * as protoConnect from '@connectrpc/connect/protocol-connect';
import * as protoGrpc from '@connectrpc/connect/protocol-grpc';
import * as protoGrpcWeb from '@connectrpc/connect/protocol-grpc-web';
import { compressionBrotli, compressionGzip, universalRequestFromNodeRequest, universalResponseToNodeResponse } from '@connectrpc/connect-node';
import { requestBytesSpentKey } from './context.ts';
import { unaryGrpcMethod, unaryGrpcTypeOf, type UnaryGrpcCall } from './unary-grpc-call.ts';
import { unaryConnectMethod, unaryConnectTypeOf, type UnaryConnectCall, type UnaryImplSpec } from './unary-connect-call.ts';

export interface ConnectRoutesOptions extends ConnectRouterOptions {
  /** the services and their implementations */
  services: Array<{ service: DescService; implementation: ServiceImpl<DescService> }>;
  /** wraps every connect-es handler (our corrections and budgets) */
  wrapHandler?: (handler: UniversalHandler) => UniversalHandler;
  /** the fast path's budget check before the body is read (what wrapHandler checks for connect-es): an answer refuses the call */
  refuseUnary?: (contentLength: number, contentType: string, values: ContextValues) => UniversalServerResponse | null;
  contextValues: (request: FastifyRequest, reply: FastifyReply) => ContextValues;
  /** on shutdown, calls still open this long after `preClose` are aborted with shutdownError */
  shutdownTimeoutMs?: number;
  shutdownError?: unknown;
  /** counts the calls the fast path answered (tests check that it does) */
  stats?: ConnectRoutesStats;
}

export interface ConnectRoutesStats {
  /** unary Connect calls answered by the fast path (unary-connect-call.ts) */
  unaryFastPath: number;
  /** unary native gRPC calls answered by the fast path (unary-grpc-call.ts) */
  unaryGrpcFastPath: number;
  /** unary native gRPC calls the fast path read and handed to connect-es (not one uncompressed envelope) */
  unaryGrpcReplayed: number;
}

/**
 * Connect, gRPC and gRPC-Web routes on Fastify: what `@connectrpc/connect-fastify`'s plugin
 * does (the same router, handlers, content-type parsers and graceful shutdown), plus fast paths
 * for the commonest calls — a unary Connect POST over HTTP/1.1 (`unary-connect-call.ts`) and a
 * unary native gRPC call over HTTP/2 (`unary-grpc-call.ts`) — which connect-es would answer with
 * a per-call machinery costing more than the call itself (README, "What a Connect call costs").
 * Every other request goes through connect-es unchanged.
 */
export async function connectRoutes(app: FastifyInstance, options: ConnectRoutesOptions): Promise<void> {
  const opts: ConnectRouterOptions = { acceptCompression: [compressionGzip, compressionBrotli], ...options };
  if (options.shutdownTimeoutMs !== undefined) {
    const shutdownController = createLinkedAbortController(opts.shutdownSignal);
    opts.shutdownSignal = shutdownController.signal;
    app.addHook('preClose', (done) => {
      setTimeout(() => shutdownController.abort(options.shutdownError), options.shutdownTimeoutMs);
      done();
    });
  }
  const router: ConnectRouter = createConnectRouter(opts);
  const unarySpecs = new Map<unknown, UnaryImplSpec>();
  for (const { service, implementation } of options.services) {
    router.service(service, implementation);
    for (const spec of Object.values(createServiceImplSpec(service, implementation).methods)) {
      if (spec.kind === 'unary') unarySpecs.set(spec.method, spec);
    }
  }
  const handlerOptions = validateUniversalHandlerOptions(opts);

  // Fastify must not read or parse a body that connect-es (or the fast path) reads itself.
  const noop = (_request: unknown, _payload: unknown, done: (error: null, body?: undefined) => void): void => done(null, undefined);
  app.addContentTypeParser(
    [protoConnect.contentTypeUnaryJson, protoConnect.contentTypeStreamJson, protoGrpcWeb.contentTypeProto, protoGrpcWeb.contentTypeJson, protoGrpc.contentTypeProto, protoGrpc.contentTypeJson],
    noop,
  );
  app.addContentTypeParser(protoGrpc.contentTypeRegExp, noop);
  app.addContentTypeParser(protoGrpcWeb.contentTypeRegExp, noop);
  app.addContentTypeParser(protoConnect.contentTypeRegExp, noop);

  for (const handler of router.handlers) {
    const wrapped = options.wrapHandler ? options.wrapHandler(handler) : handler;
    const spec = unarySpecs.get(handler.method);
    const fast = spec ? unaryConnectMethod(spec, handlerOptions) : null;
    const fastGrpc = spec ? unaryGrpcMethod(spec, handlerOptions) : null;
    app.all(handler.requestPath, async (request, reply) => {
      const values = options.contextValues(request, reply);
      try {
        const type = fast ? unaryConnectTypeOf(request.raw, handlerOptions.readMaxBytes) : null;
        if (fast && type) {
          const refusal = options.refuseUnary?.(type.length, request.headers['content-type'] ?? '', values);
          const call: UnaryConnectCall = { raw: request.raw, response: reply.raw, type, values, frameworkHeaders: reply.getHeaders() };
          if (options.stats) options.stats.unaryFastPath += 1;
          if (!refusal) return await fast(call);
          copyReplyHeaders(reply);
          return await universalResponseToNodeResponse(refusal, reply.raw);
        }
        const grpcType = fastGrpc ? unaryGrpcTypeOf(request.raw) : null;
        if (fastGrpc && grpcType) {
          // The budget counts what the slow path counts (a declared length, which gRPC clients rarely send), once.
          const refusal = options.refuseUnary?.(Number(request.headers['content-length'] ?? 0), request.headers['content-type'] ?? '', values);
          values.set(requestBytesSpentKey, true);
          if (refusal) {
            copyReplyHeaders(reply);
            return await universalResponseToNodeResponse(refusal, reply.raw);
          }
          const call: UnaryGrpcCall = {
            raw: request.raw,
            response: reply.raw,
            type: grpcType,
            values,
            frameworkHeaders: reply.getHeaders(),
            taken: () => {
              if (options.stats) options.stats.unaryGrpcFastPath += 1;
            },
            replay: async (body) => {
              if (options.stats) options.stats.unaryGrpcReplayed += 1;
              const response = await wrapped({ ...universalRequestFromNodeRequest(request.raw, reply.raw, undefined, values), body });
              copyReplyHeaders(reply);
              await universalResponseToNodeResponse(response, reply.raw);
            },
          };
          return await fastGrpc(call);
        }
        const response = await wrapped(universalRequestFromNodeRequest(request.raw, reply.raw, undefined, values));
        // Fastify keeps the reply's headers until reply.send, which this route never calls.
        copyReplyHeaders(reply);
        await universalResponseToNodeResponse(response, reply.raw);
      } catch (e) {
        if (ConnectError.from(e).code === Code.Aborted) return;
        request.log.error({ err: e }, `handler for rpc ${handler.method.name} of ${handler.service.typeName} failed`);
      }
    });
  }
}

function copyReplyHeaders(reply: FastifyReply): void {
  for (const [key, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) reply.raw.setHeader(key, value);
  }
}
