import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { User as DomainUser, UserRole, UserStatus as DomainStatus } from '../../domain/index.ts';
import { ValidationError, type FieldError } from '../../domain/index.ts';
import { Role, UserSchema, UserStatus, type User } from '../../../proto/gen/wirelab/users/v1/users_pb.ts';

const STATUS_TO_PROTO: Record<DomainStatus, UserStatus> = {
  active: UserStatus.ACTIVE,
  inactive: UserStatus.INACTIVE,
  banned: UserStatus.BANNED,
};
const ROLE_TO_PROTO: Record<UserRole, Role> = {
  admin: Role.ADMIN,
  author: Role.AUTHOR,
  reviewer: Role.REVIEWER,
  reader: Role.READER,
};
const STATUS_FROM_PROTO = new Map(Object.entries(STATUS_TO_PROTO).map(([k, v]) => [v, k as DomainStatus]));
const ROLE_FROM_PROTO = new Map(Object.entries(ROLE_TO_PROTO).map(([k, v]) => [v, k as UserRole]));

/** The domain's user as the proto message. */
export function userToProto(user: DomainUser): User {
  return create(UserSchema, {
    id: user.id,
    name: user.name,
    email: user.email,
    status: STATUS_TO_PROTO[user.status],
    roles: user.roles.map((role) => ROLE_TO_PROTO[role]),
    metadata: user.metadata,
    phone: user.phone ?? undefined,
    createdAt: timestampFromDate(new Date(user.created_at)),
    updatedAt: timestampFromDate(new Date(user.updated_at)),
    version: user.version,
  });
}

/**
 * Enum values a request may not use: `_UNSPECIFIED` where a value is required, and numbers the
 * contract does not define (proto3 enums are open: a client can send 7). Collected in
 * `problems` so that one answer names every bad field, like the domain's own validation.
 */
export class EnumReader {
  readonly problems: FieldError[] = [];

  status(value: UserStatus, field: string): DomainStatus | undefined {
    const status = STATUS_FROM_PROTO.get(value);
    if (!status) this.problems.push({ field, message: enumMessage('USER_STATUS', value) });
    return status;
  }

  roles(values: Role[], field: string): UserRole[] {
    const roles: UserRole[] = [];
    values.forEach((value, i) => {
      const role = ROLE_FROM_PROTO.get(value);
      if (role) roles.push(role);
      else this.problems.push({ field: `${field}[${i}]`, message: enumMessage('ROLE', value) });
    });
    return roles;
  }

  /** Throws the collected problems (merged with the domain's, when the domain also rejects). */
  check(): void {
    if (this.problems.length > 0) throw new ValidationError(this.problems);
  }
}

function enumMessage(prefix: string, value: number): string {
  return value === 0 ? `must not be ${prefix}_UNSPECIFIED` : `${value} is not a ${prefix} value`;
}

/**
 * A domain field path (`roles/2`, `metadata/team`) in the proto's notation (`roles[2]`,
 * `metadata["team"]`), as google.rpc.BadRequest field violations name fields.
 */
export function protoFieldPath(domainPath: string): string {
  const [head, ...rest] = domainPath.split('/');
  let path = camelToSnake(head);
  for (const part of rest) path += /^\d+$/.test(part) ? `[${part}]` : `[${JSON.stringify(part)}]`;
  return path;
}

function camelToSnake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
