import { Readable } from 'node:stream';
import { create, fromJson, toJson, type DescMessage, type DescService, type JsonValue, type Message, type Registry } from '@bufbuild/protobuf';
import { anyPack } from '@bufbuild/protobuf/wkt';
import {
  Code,
  ConnectError,
  createHandlerContext,
  createMethodImplSpec,
  type ContextValues,
  type HandlerContext,
  type Interceptor,
  type MethodImpl,
} from '@connectrpc/connect';
import { createAsyncIterable, invokeUnaryImplementation, transformInvokeImplementation } from '@connectrpc/connect/protocol';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StatusSchema } from '../../../../proto/gen/google/rpc/status_pb.ts';
import { httpBindings, requestJson, type HttpBinding } from './http-rules.ts';
import { transcodingDocs } from './transcoding-docs.ts';

/** Limits of REST transcoding (README.md, "Limits"). */
export const TRANSCODING_LIMITS = {
  /** a JSON request body. @default 64 KiB (as the REST API) */
  bodyBytes: 64 * 1024,
};

/** The HTTP status of each gRPC code, as grpc-gateway and the google.api.http spec map them. */
export const HTTP_STATUS_OF_CODE: Record<Code | 0, number> = {
  0: 200,
  [Code.Canceled]: 499,
  [Code.Unknown]: 500,
  [Code.InvalidArgument]: 400,
  [Code.DeadlineExceeded]: 504,
  [Code.NotFound]: 404,
  [Code.AlreadyExists]: 409,
  [Code.PermissionDenied]: 403,
  [Code.ResourceExhausted]: 429,
  [Code.FailedPrecondition]: 400,
  [Code.Aborted]: 409,
  [Code.OutOfRange]: 400,
  [Code.Unimplemented]: 501,
  [Code.Internal]: 500,
  [Code.Unavailable]: 503,
  [Code.DataLoss]: 500,
  [Code.Unauthenticated]: 401,
};

export interface TranscodingOptions {
  /** services whose google.api.http annotations become routes, with their implementations */
  services: Array<{ service: DescService; implementation: object }>;
  /** the same interceptors the gRPC routes run */
  interceptors: Interceptor[];
  /** the same context values the gRPC routes get (sandbox, HTTP version…) */
  contextValues(request: FastifyRequest, reply: FastifyReply): ContextValues;
  /** decodes the google.rpc details of errors into JSON */
  registry: Registry;
}

/** A failed call as google.rpc.Status JSON, the error body of transcoded calls. */
export function statusJson(error: ConnectError, registry: Registry): JsonValue {
  const status = create(StatusSchema, {
    code: error.code,
    message: error.rawMessage,
    details: error.details.flatMap((d) => ('desc' in d ? [anyPack(d.desc, create(d.desc, d.value))] : [])),
  });
  return toJson(StatusSchema, status, { registry });
}

/** Request headers as gRPC metadata: HTTP/2 pseudo-headers are not metadata. */
function metadataOf(request: FastifyRequest): Headers {
  const header = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) header.append(name, v);
  }
  return header;
}

/** Aborts the call when the client goes away before the response is complete. */
function contextFor(
  binding: HttpBinding,
  request: FastifyRequest,
  reply: FastifyReply,
  values: ContextValues,
): HandlerContext & { abort(reason?: unknown): void } {
  const client = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) client.abort(new ConnectError('the client went away', Code.Canceled));
  });
  return createHandlerContext({
    service: binding.method.parent,
    method: binding.method,
    protocolName: 'http-json',
    requestMethod: request.method,
    url: request.url,
    requestSignal: client.signal,
    requestHeader: metadataOf(request),
    contextValues: values,
  });
}

function outputJson(binding: HttpBinding, message: Message, registry: Registry): JsonValue {
  const json = toJson(binding.method.output as DescMessage, message, { registry, alwaysEmitImplicit: false });
  if (binding.responseBody === '') return json;
  const field = binding.method.output.fields.find((f) => f.name === binding.responseBody)!;
  return (json as Record<string, JsonValue>)[field.jsonName] ?? null;
}

function sendStatus(reply: FastifyReply, error: ConnectError, registry: Registry): FastifyReply {
  return reply
    .code(HTTP_STATUS_OF_CODE[error.code] ?? 500)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(statusJson(error, registry)));
}

/**
 * REST transcoding: every `google.api.http` annotation of the given services becomes a Fastify
 * route (`GET /v1/users/{id}` → `GET /v1/users/:p0`), derived from the descriptors at startup.
 * JSON in, protobuf JSON out; the call runs through the same interceptors as gRPC. Errors are
 * google.rpc.Status JSON with the HTTP status of the gRPC code (as grpc-gateway answers).
 * Server streaming answers newline-delimited JSON: one `{"result": …}` per message, and a last
 * `{"error": Status}` line if the stream fails after it started.
 */
export async function transcodingRoutes(app: FastifyInstance, options: TranscodingOptions): Promise<void> {
  const { registry } = options;
  // JSON only: without a text/plain parser Fastify answers another body type with 415.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ConnectError) return sendStatus(reply, error, registry);
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'transcoded call failed');
    if (request.raw.httpVersionMajor >= 2) reply.removeHeader('connection');
    const code = status === 413 ? Code.ResourceExhausted : status < 500 ? Code.InvalidArgument : Code.Internal;
    const message = status < 500 ? error.message : 'internal error';
    return reply
      .code(status)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(statusJson(new ConnectError(message, code), registry)));
  });

  const implementationOf = new Map(options.services.map((s) => [s.service.typeName, s.implementation as Record<string, MethodImpl<never>>]));

  for (const binding of httpBindings(options.services.map((s) => s.service))) {
    const impl = implementationOf.get(binding.method.parent.typeName)?.[binding.method.localName];
    if (!impl) throw new Error(`${binding.method.parent.typeName}.${binding.method.name} has an http rule but no implementation`);
    const spec = createMethodImplSpec(binding.method, impl as never);

    app.route({
      method: binding.verb,
      url: binding.routePath,
      bodyLimit: TRANSCODING_LIMITS.bodyBytes,
      config: { openapi: transcodingDocs(binding) },
      handler: async (request, reply) => {
        const params = request.params as Record<string, string>;
        const query = new URL(request.url, 'http://transcoding.invalid').searchParams;
        let input: Message;
        try {
          const pathValues = binding.pathFields.map((_, i) => params[`p${i}`]);
          const json = requestJson(binding, pathValues, binding.body === '' ? undefined : request.body, query);
          input = fromJson(binding.method.input as DescMessage, json, { registry });
        } catch (error) {
          // BadTranscodedRequest from the URL, or fromJson's complaint about a field
          const message = error instanceof Error ? error.message : String(error);
          throw new ConnectError(message, Code.InvalidArgument);
        }
        const ctx = contextFor(binding, request, reply, options.contextValues(request, reply));

        if (spec.kind === 'unary') {
          try {
            const output = await invokeUnaryImplementation(spec, ctx, input as never, options.interceptors);
            return reply.type('application/json; charset=utf-8').send(JSON.stringify(outputJson(binding, output, registry)));
          } finally {
            ctx.abort();
          }
        }
        // server streaming: the status line goes out with the first message, so a later error
        // can only be told in the body.
        const outputs = transformInvokeImplementation(spec, ctx, options.interceptors)(createAsyncIterable([input as never]));
        const iterator = outputs[Symbol.asyncIterator]();
        let first: IteratorResult<Message>;
        try {
          first = await iterator.next();
        } catch (error) {
          ctx.abort();
          throw ConnectError.from(error);
        }
        const lines = (async function* ndjson() {
          try {
            let next = first;
            while (!next.done) {
              yield `${JSON.stringify({ result: outputJson(binding, next.value, registry) })}\n`;
              next = await iterator.next();
            }
          } catch (error) {
            yield `${JSON.stringify({ error: statusJson(ConnectError.from(error), registry) })}\n`;
          } finally {
            ctx.abort();
            await iterator.return?.();
          }
        })();
        return reply.type('application/x-ndjson; charset=utf-8').send(Readable.from(lines));
      },
    });
  }
}
