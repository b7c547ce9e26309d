import type { DescMethod, DescService, Registry } from '@bufbuild/protobuf';
import { schemaRegistry } from '../../../wire/protobuf/schema.ts';

// The methods a gRPC cell can call: every service the inspector's protobuf registry knows
// (wire/protobuf/schema.ts, the generated proto/gen files). This module is only imported by
// the gRPC cell's lazy chunk, so the schemas never weigh on the lesson reader.

export function grpcRegistry(): Registry {
  return schemaRegistry();
}

export function allServices(registry: Registry = grpcRegistry()): DescService[] {
  const services: DescService[] = [];
  for (const type of registry) if (type.kind === 'service') services.push(type);
  return services.sort((a, b) => a.typeName.localeCompare(b.typeName));
}

/** "wirelab.users.v1.UserService/GetUser" → its descriptor (a leading "/" is accepted). */
export function findMethod(path: string, registry: Registry = grpcRegistry()): DescMethod | undefined {
  const match = /^\/?([A-Za-z_][\w.]*)\/([A-Za-z_]\w*)$/.exec(path);
  if (!match) return undefined;
  return registry.getService(match[1])?.methods.find((method) => method.name === match[2]);
}

export function methodPath(method: DescMethod): string {
  return `${method.parent.typeName}/${method.name}`;
}

/** fetch in a browser can send one request body and stream the response, nothing more. */
export function browserCanCall(method: DescMethod): boolean {
  return method.methodKind === 'unary' || method.methodKind === 'server_streaming';
}
