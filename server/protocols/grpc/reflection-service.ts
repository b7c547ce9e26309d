import { create, toBinary, type DescFile, type DescMessage, type Registry } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { Code } from '@connectrpc/connect';
import type { ServiceImpl } from '@connectrpc/connect';
import * as v1 from '../../../proto/gen/grpc/reflection/v1/reflection_pb.ts';
import * as v1alpha from '../../../proto/gen/grpc/reflection/v1alpha/reflection_pb.ts';
import type { ServerReflectionRequest } from '../../../proto/gen/grpc/reflection/v1/reflection_pb.ts';

/** What reflection answers from: the served services, every file by name, every type. */
export interface ReflectionSource {
  services: string[];
  files: ReadonlyMap<string, DescFile>;
  registry: Registry;
}

type Answer =
  | { case: 'fileDescriptorResponse'; value: { fileDescriptorProto: Uint8Array[] } }
  | { case: 'allExtensionNumbersResponse'; value: { baseTypeName: string; extensionNumber: number[] } }
  | { case: 'listServicesResponse'; value: { service: Array<{ name: string }> } }
  | { case: 'errorResponse'; value: { errorCode: number; errorMessage: string } };

/** A file and everything it imports, the file itself first (what grpcurl and buf curl expect). */
function withDependencies(file: DescFile): DescFile[] {
  const out: DescFile[] = [];
  const seen = new Set<DescFile>();
  const visit = (f: DescFile): void => {
    if (seen.has(f)) return;
    seen.add(f);
    out.push(f);
    for (const dep of f.dependencies) visit(dep);
  };
  visit(file);
  return out;
}

function files(file: DescFile): Answer {
  return {
    case: 'fileDescriptorResponse',
    value: { fileDescriptorProto: withDependencies(file).map((f) => toBinary(FileDescriptorProtoSchema, f.proto)) },
  };
}

function notFound(message: string): Answer {
  return { case: 'errorResponse', value: { errorCode: Code.NotFound, errorMessage: message } };
}

/** The file that defines a fully qualified symbol: a type, a service, a method, a field, an enum value. */
function fileOfSymbol(source: ReflectionSource, symbol: string): DescFile | undefined {
  const name = symbol.replace(/^\./, '');
  const found = source.registry.get(name);
  if (found) return found.file;
  // "pkg.Service.Method" or "pkg.Message.field": the parent names the file.
  const parent = name.slice(0, name.lastIndexOf('.'));
  const owner = parent ? source.registry.get(parent) : undefined;
  if (owner && owner.kind === 'service' && owner.methods.some((m) => m.name === name.slice(parent.length + 1))) return owner.file;
  if (owner && owner.kind === 'message' && owner.fields.some((f) => f.name === name.slice(parent.length + 1))) return owner.file;
  if (owner && owner.kind === 'enum' && owner.values.some((v) => v.name === name.slice(parent.length + 1))) return owner.file;
  return undefined;
}

export function answer(source: ReflectionSource, request: ServerReflectionRequest): Answer {
  const ask = request.messageRequest;
  switch (ask.case) {
    case 'listServices':
      return { case: 'listServicesResponse', value: { service: source.services.map((name) => ({ name })) } };
    case 'fileByFilename': {
      const file = source.files.get(ask.value);
      return file ? files(file) : notFound(`no file named "${ask.value}"`);
    }
    case 'fileContainingSymbol': {
      const file = fileOfSymbol(source, ask.value);
      return file ? files(file) : notFound(`no symbol "${ask.value}"`);
    }
    case 'fileContainingExtension': {
      const message = source.registry.getMessage(ask.value.containingType);
      const extension = message && source.registry.getExtensionFor(message, ask.value.extensionNumber);
      return extension ? files(extension.file) : notFound(`no extension ${ask.value.extensionNumber} of "${ask.value.containingType}"`);
    }
    case 'allExtensionNumbersOfType': {
      const message = source.registry.getMessage(ask.value);
      if (!message) return notFound(`no message type "${ask.value}"`);
      const numbers: number[] = [];
      for (const desc of source.registry) {
        if (desc.kind === 'extension' && desc.extendee.typeName === message.typeName) numbers.push(desc.number);
      }
      return { case: 'allExtensionNumbersResponse', value: { baseTypeName: message.typeName, extensionNumber: numbers.sort((a, b) => a - b) } };
    }
    default:
      return { case: 'errorResponse', value: { errorCode: Code.InvalidArgument, errorMessage: 'set one of the message_request fields' } };
  }
}

/**
 * grpc.reflection.v1 and v1alpha: one bidi stream, one answer per question, in order. The two
 * packages share the wire shape; v1alpha requests are read as v1 (same field numbers).
 */
function reflection<R extends DescMessage, S extends DescMessage>(source: ReflectionSource, responseSchema: S) {
  return async function* serverReflectionInfo(requests: AsyncIterable<ServerReflectionRequest>) {
    for await (const request of requests) {
      yield create(responseSchema, {
        validHost: request.host,
        originalRequest: request as never,
        messageResponse: answer(source, request) as never,
      } as never);
    }
  } as unknown as (requests: AsyncIterable<MessageShapeOf<R>>) => AsyncIterable<MessageShapeOf<S>>;
}
type MessageShapeOf<D extends DescMessage> = import('@bufbuild/protobuf').MessageShape<D>;

export function reflectionV1(source: ReflectionSource): ServiceImpl<typeof v1.ServerReflection> {
  return {
    serverReflectionInfo: reflection<typeof v1.ServerReflectionRequestSchema, typeof v1.ServerReflectionResponseSchema>(
      source,
      v1.ServerReflectionResponseSchema,
    ),
  };
}

export function reflectionV1alpha(source: ReflectionSource): ServiceImpl<typeof v1alpha.ServerReflection> {
  return {
    serverReflectionInfo: reflection<typeof v1alpha.ServerReflectionRequestSchema, typeof v1alpha.ServerReflectionResponseSchema>(
      source,
      v1alpha.ServerReflectionResponseSchema,
    ),
  };
}
