import type { Db } from './database.ts';
import type { UserService } from './services.ts';
import { ConflictError, ValidationError } from './errors.ts';
import { listAfterCursor, listPage, type ListQuery } from './listing.ts';
import { findUser, userOf, type UserRow } from './rows.ts';
import type { ServiceContext } from './service-context.ts';
import {
  USER_SORT_FIELDS,
  type CursorRequest,
  type PageRequest,
  type User,
  type UserCreation,
  type UserFilter,
  type UserPatch,
  type UserSortField,
} from './types.ts';
import { USER_RULES, validateUserCreation, validateUserPatch, validateUserReplacement } from './validation.ts';

function userQuery(db: Db, sandboxId: string, request: PageRequest<UserSortField, UserFilter> | CursorRequest<UserSortField, UserFilter>): ListQuery {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const filter = request.filter ?? {};
  if (filter.status) {
    where.push('status = ?');
    params.push(filter.status);
  }
  if (filter.role) {
    where.push('EXISTS (SELECT 1 FROM json_each(users.roles) WHERE value = ?)');
    params.push(filter.role);
  }
  if (filter.q) {
    const folded = filter.q.toLowerCase();
    where.push('(instr(wl_fold(name), ?) > 0 OR instr(wl_fold(email), ?) > 0)');
    params.push(folded, folded);
  }
  return { db, table: 'users', sandboxId, where, params, sortable: USER_SORT_FIELDS, sort: request.sort, limit: request.limit };
}

/** The user after a merge patch (RFC 7396): absent fields kept, a metadata key set to null removed. */
function patchedUser(current: User, input: UserPatch): Omit<User, 'id' | 'created_at' | 'updated_at' | 'version'> {
  const metadata = { ...current.metadata };
  for (const [key, value] of Object.entries(input.metadata ?? {})) {
    if (value === null) delete metadata[key];
    else metadata[key] = value;
  }
  if (Object.keys(metadata).length > USER_RULES.metadataMaxEntries) {
    throw new ValidationError([{ field: 'metadata', message: `must have at most ${USER_RULES.metadataMaxEntries} entries` }]);
  }
  return {
    name: input.name ?? current.name,
    email: input.email ?? current.email,
    status: input.status ?? current.status,
    roles: input.roles ?? current.roles,
    metadata,
    phone: input.phone === undefined ? current.phone : input.phone,
  };
}

/** The row of a user just created: the creation's defaults filled in, version 1. */
function newUserRow(sandboxId: string, id: number, input: UserCreation, at: string): Record<string, string | number | null> {
  return {
    sandbox_id: sandboxId,
    id,
    name: input.name.trim(),
    email: input.email,
    email_key: input.email.toLowerCase(),
    status: input.status ?? 'active',
    roles: JSON.stringify(input.roles ?? ['reader']),
    metadata: JSON.stringify(input.metadata ?? {}),
    phone: input.phone ?? null,
    created_at: at,
    updated_at: at,
    version: 1,
  };
}

export function createUserService({ db, statements, now, events, ensureSandbox, inSandbox }: ServiceContext): UserService {
  function checkEmailFree(sandboxId: string, email: string, ownId: number | null): void {
    const holder = statements.userByEmail.get(sandboxId, email.toLowerCase()) as number | undefined;
    if (holder !== undefined && holder !== ownId) {
      throw new ConflictError('email', `${email} already belongs to user ${holder}`);
    }
  }

  function writeUser(sandboxId: string, id: number, fields: Omit<User, 'id' | 'created_at' | 'updated_at' | 'version'>): void {
    statements.updateUser.run({
      sandbox_id: sandboxId,
      id,
      name: fields.name.trim(),
      email: fields.email,
      email_key: fields.email.toLowerCase(),
      status: fields.status,
      roles: JSON.stringify(fields.roles),
      metadata: JSON.stringify(fields.metadata),
      phone: fields.phone,
      updated_at: now().toISOString(),
    });
  }

  return {
    list(sandboxId, request = {}) {
      ensureSandbox(sandboxId);
      const page = listPage<UserRow>(userQuery(db, sandboxId, request), request.page);
      return { ...page, items: page.items.map(userOf) };
    },
    listByCursor(sandboxId, request = {}) {
      ensureSandbox(sandboxId);
      const page = listAfterCursor<UserRow & Record<string, unknown>>(userQuery(db, sandboxId, request), request.cursor);
      return { ...page, items: page.items.map(userOf) };
    },
    get(sandboxId, id) {
      ensureSandbox(sandboxId);
      return findUser(statements, sandboxId, id);
    },
    getMany(sandboxId, ids) {
      ensureSandbox(sandboxId);
      return (statements.usersByIds.all(sandboxId, JSON.stringify(ids)) as UserRow[]).map(userOf);
    },
    create: inSandbox((sandboxId: string, input: unknown) => {
      validateUserCreation(input);
      checkEmailFree(sandboxId, input.email, null);
      const at = now().toISOString();
      const id = statements.nextId.user.get(sandboxId) as number;
      statements.insertUser.run(newUserRow(sandboxId, id, input, at));
      const user = findUser(statements, sandboxId, id);
      events.emit('user.created', sandboxId, user);
      return user;
    }),
    replace: inSandbox((sandboxId: string, id: number, input: unknown) => {
      findUser(statements, sandboxId, id);
      validateUserReplacement(input);
      checkEmailFree(sandboxId, input.email, id);
      writeUser(sandboxId, id, input);
      const user = findUser(statements, sandboxId, id);
      events.emit('user.updated', sandboxId, user);
      return user;
    }),
    patch: inSandbox((sandboxId: string, id: number, input: unknown) => {
      const current = findUser(statements, sandboxId, id);
      validateUserPatch(input);
      const next = patchedUser(current, input);
      if (input.email !== undefined) checkEmailFree(sandboxId, next.email, id);
      writeUser(sandboxId, id, next);
      const user = findUser(statements, sandboxId, id);
      events.emit('user.updated', sandboxId, user);
      return user;
    }),
    delete: inSandbox((sandboxId: string, id: number) => {
      findUser(statements, sandboxId, id);
      statements.deleteUser.run(sandboxId, id);
      events.emit('user.deleted', sandboxId, { id });
    }),
  };
}
