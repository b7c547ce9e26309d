import { createRegistry, type DescFile, type DescMessage, type DescMethod, type Registry } from '@bufbuild/protobuf';
import { file_google_rpc_error_details } from '../../proto/gen/google/rpc/error_details_pb.ts';
import { file_google_rpc_status } from '../../proto/gen/google/rpc/status_pb.ts';
import { file_grpc_health_v1_health } from '../../proto/gen/grpc/health/v1/health_pb.ts';
import { file_grpc_reflection_v1_reflection } from '../../proto/gen/grpc/reflection/v1/reflection_pb.ts';
import { file_grpc_reflection_v1alpha_reflection } from '../../proto/gen/grpc/reflection/v1alpha/reflection_pb.ts';
import { file_wirelab_lab_v1_lab } from '../../proto/gen/wirelab/lab/v1/lab_pb.ts';
import { file_wirelab_lab_v1_lifecycle } from '../../proto/gen/wirelab/lab/v1/lifecycle_pb.ts';
import { file_wirelab_users_v1_users } from '../../proto/gen/wirelab/users/v1/users_pb.ts';

// The one place where the inspector learns Wirelab's protobuf schemas. Everything the protobuf
// decoder knows by name comes from these generated `file_…` descriptors (proto/gen): their
// embedded descriptors and @bufbuild/protobuf's registry are what this module adds to the web
// bundle. A method or type not found here is decoded raw (field numbers and wire types only).

const FILES: DescFile[] = [
  file_wirelab_users_v1_users,
  file_wirelab_lab_v1_lab,
  file_wirelab_lab_v1_lifecycle,
  file_grpc_health_v1_health,
  file_grpc_reflection_v1_reflection,
  file_grpc_reflection_v1alpha_reflection,
  file_google_rpc_status,
  file_google_rpc_error_details,
];

function withDependencies(files: DescFile[]): DescFile[] {
  const seen = new Set<DescFile>();
  const visit = (file: DescFile): void => {
    if (seen.has(file)) return;
    for (const dependency of file.dependencies) visit(dependency);
    seen.add(file);
  };
  for (const file of files) visit(file);
  return [...seen];
}

let registry: Registry | undefined;

/** Messages, enums and services of every known file (built on first use). */
export function schemaRegistry(): Registry {
  registry ??= createRegistry(...withDependencies(FILES));
  return registry;
}

/**
 * The method a gRPC / gRPC-Web / Connect request path names: "/wirelab.users.v1.UserService/GetUser".
 * Connect's unary GET puts the same path before its query.
 */
export function methodForPath(path: string | undefined): DescMethod | undefined {
  const match = /^\/([A-Za-z_][\w.]*)\/([A-Za-z_]\w*)$/.exec(path ?? '');
  if (!match) return undefined;
  const service = schemaRegistry().getService(match[1]);
  return service?.methods.find((method) => method.name === match[2]);
}

/** A message type by its full name ("google.rpc.ErrorInfo"), e.g. from an Any's type URL. */
export function messageByName(typeName: string): DescMessage | undefined {
  return schemaRegistry().getMessage(typeName);
}
