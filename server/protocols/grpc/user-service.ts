import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { anyPack, timestampNow } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import type { Domain, User as DomainUser, UserFilter, UserPatch } from '../../domain/index.ts';
import { DomainError, NotFoundError, ValidationError } from '../../domain/index.ts';
import { StatusSchema } from '../../../proto/gen/google/rpc/status_pb.ts';
import {
  ChatResponseSchema,
  CreateUsersResponse_ResultSchema,
  UserService,
  type ChatRequest,
  type ChatResponse,
  type CreateUserRequest,
  type CreateUsersResponse_Result,
  type ListUsersRequest,
  type UpdateUserRequest,
} from '../../../proto/gen/wirelab/users/v1/users_pb.ts';
import { AsyncQueue, sleep } from './async-queue.ts';
import { connectErrorOf } from './connect-error-of.ts';
import { sandboxKey } from './context.ts';
import { EnumReader, userToProto } from './user-mapping.ts';
import { publicSandboxName } from '../../session/session-id.ts';

/** Limits of the streaming calls (README.md, "Limits"). */
export const USER_STREAM_LIMITS = {
  /** users in one ListUsers stream. @default 1000 */
  maxListed: 1000,
  /** pause between ListUsers messages. @default 5000 */
  maxIntervalMs: 5000,
  /** users in one CreateUsers call. @default 100 */
  maxCreated: 100,
  /** requests in one Chat call. @default 1000 */
  maxChatRequests: 1000,
};

function badRequest(field: string, description: string): ValidationError {
  return new ValidationError([{ field, message: description }]);
}

function domainInput(request: CreateUserRequest, enums: EnumReader, prefix = ''): Record<string, unknown> {
  const input: Record<string, unknown> = { name: request.name, email: request.email, metadata: request.metadata };
  // proto3 cannot tell an unset status or an empty list from "default": both mean the domain's default.
  if (request.status !== 0) input.status = enums.status(request.status, `${prefix}status`);
  if (request.roles.length > 0) input.roles = enums.roles(request.roles, `${prefix}roles`);
  if (request.phone !== undefined) input.phone = request.phone;
  return input;
}

/** Finds a user by email, case-insensitively (the domain's uniqueness rule). */
function findByEmail(domain: Domain, sandbox: string, email: string): DomainUser | undefined {
  const wanted = email.toLowerCase();
  let cursor: string | null = null;
  do {
    const page = domain.users.listByCursor(sandbox, { filter: { q: email }, limit: 100, cursor });
    const found = page.items.find((u) => u.email.toLowerCase() === wanted);
    if (found) return found;
    cursor = page.next_cursor;
  } while (cursor);
  return undefined;
}

/** The google.rpc.Status of a failed item of CreateUsers (the same as the call would have failed with). */
function statusOf(error: unknown) {
  const mapped = connectErrorOf(error);
  if (!(mapped instanceof ConnectError)) throw error;
  return create(StatusSchema, {
    code: mapped.code,
    message: mapped.rawMessage,
    details: mapped.details.flatMap((d) => ('desc' in d ? [anyPack(d.desc, create(d.desc, d.value))] : [])),
  });
}

/** UpdateUser as a merge patch: unset fields kept, remove_metadata's keys set to null (removed). */
function userPatchOf(request: UpdateUserRequest, enums: EnumReader): UserPatch {
  const patch: UserPatch = {};
  if (request.name !== undefined) patch.name = request.name;
  if (request.email !== undefined) patch.email = request.email;
  if (request.status !== undefined) patch.status = enums.status(request.status, 'status');
  if (request.roles) patch.roles = enums.roles(request.roles.roles, 'roles.roles');
  if (request.phone !== undefined) patch.phone = request.phone === '' ? null : request.phone;
  const metadata: Record<string, string | null> = { ...request.metadata };
  for (const key of request.removeMetadata) {
    if (key in request.metadata) enums.problems.push({ field: `remove_metadata`, message: `"${key}" is both set and removed` });
    metadata[key] = null;
  }
  if (Object.keys(metadata).length > 0) patch.metadata = metadata;
  return patch;
}

/** ListUsers' filter and its bounds (interval, count), problems gathered in `enums`. */
function listFilterOf(request: ListUsersRequest, enums: EnumReader): UserFilter {
  const filter: UserFilter = {};
  if (request.filter?.status !== undefined) filter.status = enums.status(request.filter.status, 'filter.status');
  if (request.filter?.role !== undefined) [filter.role] = enums.roles([request.filter.role], 'filter.role');
  if (request.filter?.query) filter.q = request.filter.query;
  if (request.intervalMs > USER_STREAM_LIMITS.maxIntervalMs) {
    enums.problems.push({ field: 'interval_ms', message: `must be at most ${USER_STREAM_LIMITS.maxIntervalMs}` });
  }
  if (request.maxUsers > USER_STREAM_LIMITS.maxListed) {
    enums.problems.push({ field: 'max_users', message: `must be at most ${USER_STREAM_LIMITS.maxListed}` });
  }
  return filter;
}

/** wirelab.users.v1.UserService over the domain: the same data and rules as REST's /api/v1/users. */
export function userService(domain: Domain): ServiceImpl<typeof UserService> {
  return {
    getUser(request, ctx) {
      const sandbox = ctx.values.get(sandboxKey);
      switch (request.key.case) {
        case 'id':
          return { user: userToProto(domain.users.get(sandbox, request.key.value)) };
        case 'email': {
          const user = findByEmail(domain, sandbox, request.key.value);
          if (!user) throw new ConnectError(`no user has the email ${request.key.value}`, Code.NotFound);
          return { user: userToProto(user) };
        }
        default:
          throw badRequest('key', 'set id or email');
      }
    },

    createUser(request, ctx) {
      const enums = new EnumReader();
      const input = domainInput(request, enums);
      enums.check();
      return { user: userToProto(domain.users.create(ctx.values.get(sandboxKey), input)) };
    },

    updateUser(request, ctx) {
      const enums = new EnumReader();
      const patch = userPatchOf(request, enums);
      enums.check();
      return { user: userToProto(domain.users.patch(ctx.values.get(sandboxKey), request.id, patch)) };
    },

    deleteUser(request, ctx) {
      domain.users.delete(ctx.values.get(sandboxKey), request.id);
      return {};
    },

    async *listUsers(request, ctx) {
      const sandbox = ctx.values.get(sandboxKey);
      const enums = new EnumReader();
      const filter = listFilterOf(request, enums);
      enums.check();
      const max = request.maxUsers || USER_STREAM_LIMITS.maxListed;
      let position = 0;
      let cursor: string | null = null;
      do {
        const page = domain.users.listByCursor(sandbox, { filter, limit: 100, cursor });
        for (const user of page.items) {
          if (position > 0 && request.intervalMs > 0) await sleep(request.intervalMs, ctx.signal);
          position += 1;
          yield { user: userToProto(user), position };
          if (position >= max) return;
        }
        cursor = page.next_cursor;
      } while (cursor);
    },

    async createUsers(requests, ctx) {
      const sandbox = ctx.values.get(sandboxKey);
      const results: CreateUsersResponse_Result[] = [];
      let created = 0;
      for await (const request of requests) {
        const index = results.length;
        if (index >= USER_STREAM_LIMITS.maxCreated) {
          throw new ConnectError(`at most ${USER_STREAM_LIMITS.maxCreated} users per call`, Code.ResourceExhausted);
        }
        try {
          const enums = new EnumReader();
          const input = domainInput(request.user ?? ({ name: '', email: '', roles: [], metadata: {}, status: 0 } as never), enums, 'user.');
          enums.check();
          const user = domain.users.create(sandbox, input);
          created += 1;
          results.push(create(CreateUsersResponse_ResultSchema, { index, outcome: { case: 'user', value: userToProto(user) } }));
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          results.push(create(CreateUsersResponse_ResultSchema, { index, outcome: { case: 'error', value: statusOf(error) } }));
        }
      }
      return { results, created, failed: results.length - created };
    },

    chat(requests, ctx) {
      return chat(domain, requests, ctx);
    },
  };
}

async function* chat(domain: Domain, requests: AsyncIterable<ChatRequest>, ctx: HandlerContext): AsyncIterable<ChatResponse> {
  const sandbox = ctx.values.get(sandboxKey);
  const out = new AsyncQueue<ChatResponse>();
  const respond = (event: MessageInitShape<typeof ChatResponseSchema>['event']): void =>
    void out.push(create(ChatResponseSchema, { time: timestampNow(), event }));
  const unsubscribe = domain.events.subscribe(
    (event) => {
      if (!event.type.startsWith('user.')) return;
      const data = event.data as { id: number; name?: string };
      respond({ case: 'userChanged', value: { event: event.type, userId: data.id, userName: data.name ?? '' } });
    },
    { sandboxId: sandbox },
  );
  // The server may speak first: the response HEADERS and this message go out before the
  // client has sent anything.
  respond({
    case: 'notice',
    value: { text: `Chat of sandbox "${publicSandboxName(sandbox)}": send {userId, text}. Changes to this sandbox's users appear here too.` },
  });

  void (async () => {
    let count = 0;
    for await (const request of requests) {
      count += 1;
      if (count > USER_STREAM_LIMITS.maxChatRequests) {
        throw new ConnectError(`at most ${USER_STREAM_LIMITS.maxChatRequests} chat messages per call`, Code.ResourceExhausted);
      }
      if (request.text.trim() === '') {
        respond({ case: 'notice', value: { text: 'text is empty: nothing said' } });
        continue;
      }
      try {
        const user = domain.users.get(sandbox, request.userId);
        respond({ case: 'said', value: { userId: user.id, userName: user.name, text: request.text.slice(0, 2000) } });
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        respond({ case: 'notice', value: { text: `user ${request.userId} does not exist in this sandbox` } });
      }
    }
    // The client half-closed: the conversation is over.
    out.end();
  })().catch((error: unknown) => out.fail(error));

  try {
    yield* out;
  } finally {
    unsubscribe();
  }
}
