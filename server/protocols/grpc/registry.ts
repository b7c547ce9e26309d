import { createRegistry, type DescFile, type DescService, type Registry } from '@bufbuild/protobuf';
import { file_grpc_health_v1_health } from '../../../proto/gen/grpc/health/v1/health_pb.ts';
import { file_grpc_reflection_v1_reflection } from '../../../proto/gen/grpc/reflection/v1/reflection_pb.ts';
import { file_grpc_reflection_v1alpha_reflection } from '../../../proto/gen/grpc/reflection/v1alpha/reflection_pb.ts';
import { file_google_rpc_error_details } from '../../../proto/gen/google/rpc/error_details_pb.ts';
import { file_wirelab_lab_v1_lab } from '../../../proto/gen/wirelab/lab/v1/lab_pb.ts';
import { file_wirelab_lab_v1_lifecycle, LifecycleService } from '../../../proto/gen/wirelab/lab/v1/lifecycle_pb.ts';
import { file_wirelab_users_v1_users } from '../../../proto/gen/wirelab/users/v1/users_pb.ts';
import { Health } from '../../../proto/gen/grpc/health/v1/health_pb.ts';
import { ServerReflection as ReflectionV1 } from '../../../proto/gen/grpc/reflection/v1/reflection_pb.ts';
import { ServerReflection as ReflectionV1alpha } from '../../../proto/gen/grpc/reflection/v1alpha/reflection_pb.ts';
import { LabService } from '../../../proto/gen/wirelab/lab/v1/lab_pb.ts';
import { UserService } from '../../../proto/gen/wirelab/users/v1/users_pb.ts';

/** Every generated file the server serves; their imports (google.*, WKTs) come along. */
export const SERVED_FILES: DescFile[] = [
  file_wirelab_users_v1_users,
  file_wirelab_lab_v1_lab,
  file_wirelab_lab_v1_lifecycle,
  file_grpc_health_v1_health,
  file_grpc_reflection_v1_reflection,
  file_grpc_reflection_v1alpha_reflection,
  // not imported by a served file, but the error details we attach must be decodable by name
  file_google_rpc_error_details,
];

/** The services this server serves, in the order reflection lists them. */
export const SERVED_SERVICES: DescService[] = [UserService, LabService, LifecycleService, Health, ReflectionV1, ReflectionV1alpha];

/** Every file the server knows, with their dependencies, by name ("wirelab/users/v1/users.proto"). */
export const filesByName: ReadonlyMap<string, DescFile> = new Map(SERVED_FILES.flatMap(withDependencies).map((file) => [`${file.name}.proto`, file]));

/**
 * Every message, enum, extension and service of those files: reflection answers from it, the
 * runner and the error details decode with it.
 */
export const registry: Registry = createRegistry(...filesByName.values());

function withDependencies(file: DescFile): DescFile[] {
  const seen = new Set<DescFile>();
  const visit = (f: DescFile): void => {
    if (seen.has(f)) return;
    for (const dep of f.dependencies) visit(dep);
    seen.add(f);
  };
  visit(file);
  return [...seen];
}
