import { create } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { ConflictError, DomainError, InvalidCursorError, NotFoundError, ValidationError, WritesFrozenError } from '../../domain/index.ts';
import { BadRequestSchema, ErrorInfoSchema, ResourceInfoSchema } from '../../../proto/gen/google/rpc/error_details_pb.ts';
import { protoFieldPath } from './user-mapping.ts';

/** The `domain` of every google.rpc.ErrorInfo this server attaches. */
export const ERROR_DOMAIN = 'wirelab.dev';

/**
 * A domain error as a gRPC status with rich details (google.rpc.Status in
 * `grpc-status-details-bin`, or `details` in a Connect error body): the same errors REST turns
 * into problem+json. Anything that is not a DomainError is left to Connect (INTERNAL, without
 * the message leaking to the client).
 */
export function connectErrorOf(error: unknown): unknown {
  if (error instanceof ConnectError || !(error instanceof DomainError)) return error;
  if (error instanceof NotFoundError) {
    const reason = `${error.entity.toUpperCase()}_NOT_FOUND`;
    return new ConnectError(error.message, Code.NotFound, undefined, [
      { desc: ErrorInfoSchema, value: create(ErrorInfoSchema, { reason, domain: ERROR_DOMAIN, metadata: { id: String(error.id) } }) },
      {
        desc: ResourceInfoSchema,
        value: create(ResourceInfoSchema, {
          resourceType: `wirelab.users.v1.${capitalize(error.entity)}`,
          resourceName: `${error.entity}s/${error.id}`,
          description: error.message,
        }),
      },
    ]);
  }
  if (error instanceof ValidationError) {
    return new ConnectError(error.message, Code.InvalidArgument, undefined, [
      {
        desc: BadRequestSchema,
        value: create(BadRequestSchema, {
          fieldViolations: error.errors.map((e) => ({ field: protoFieldPath(e.field), description: e.message })),
        }),
      },
    ]);
  }
  if (error instanceof ConflictError) {
    const reason = error.field === 'email' ? 'EMAIL_TAKEN' : `${error.field.toUpperCase()}_TAKEN`;
    return new ConnectError(error.message, Code.AlreadyExists, undefined, [
      { desc: ErrorInfoSchema, value: create(ErrorInfoSchema, { reason, domain: ERROR_DOMAIN, metadata: { field: error.field } }) },
    ]);
  }
  if (error instanceof InvalidCursorError) return new ConnectError(error.message, Code.InvalidArgument);
  if (error instanceof WritesFrozenError) {
    // the Russian text travels in the ErrorInfo's metadata: a status has one message
    return new ConnectError(error.message, Code.FailedPrecondition, undefined, [
      {
        desc: ErrorInfoSchema,
        value: create(ErrorInfoSchema, { reason: 'WRITES_FROZEN', domain: ERROR_DOMAIN, metadata: { en: error.reason.en, ru: error.reason.ru } }),
      },
    ]);
  }
  return new ConnectError(error.message, Code.FailedPrecondition);
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
