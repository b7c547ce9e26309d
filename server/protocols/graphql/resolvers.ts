import { NotFoundError, type Comment, type DomainEvent, type Post, type User, type UserFilter, type UserSortField } from '../../domain/index.ts';
import type { WirelabContext } from './context.ts';
import { wirelabError } from './errors.ts';
import { domainEventStream } from './event-stream.ts';
import { FIRST_MAX, GRAPHQL_LIMITS } from './limits.ts';
import { bilingual } from './messages.ts';

/** A user as the schema shows it: plain properties, so only relations need resolvers. */
export interface UserNode {
  id: number;
  name: string;
  email: string;
  status: string;
  roles: string[];
  metadata: Array<{ key: string; value: string }>;
  phone: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface PostNode {
  id: number;
  authorId: number;
  title: string;
  content: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface CommentNode {
  id: number;
  postId: number;
  authorId: number;
  content: string;
  createdAt: string;
}

export function userNode(user: User): UserNode {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    status: user.status.toUpperCase(),
    roles: user.roles.map((r) => r.toUpperCase()),
    metadata: Object.entries(user.metadata).map(([key, value]) => ({ key, value })),
    phone: user.phone,
    createdAt: user.created_at,
    updatedAt: user.updated_at,
    version: user.version,
  };
}

export function postNode(post: Post): PostNode {
  return {
    id: post.id,
    authorId: post.author_id,
    title: post.title,
    content: post.content,
    createdAt: post.created_at,
    updatedAt: post.updated_at,
    version: post.version,
  };
}

export function commentNode(comment: Comment): CommentNode {
  return { id: comment.id, postId: comment.post_id, authorId: comment.author_id, content: comment.content, createdAt: comment.created_at };
}

/** A GraphQL ID of this schema: the decimal digits of a positive integer. */
export function parseId(value: unknown, field: string): number {
  const text = String(value);
  const id = /^[1-9][0-9]{0,14}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(id)) {
    const message = bilingual(
      `${field} must be a positive integer, not ${JSON.stringify(text)}`,
      `${field} должен быть целым положительным числом, а не ${JSON.stringify(text)}`,
    );
    throw wirelabError('BAD_USER_INPUT', message, { fields: [{ field, message: message.en }] });
  }
  return id;
}

export function checkFirst(first: unknown): number {
  const value = first ?? 10;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > FIRST_MAX) {
    const message = bilingual(`first must be an integer from 1 to ${FIRST_MAX}`, `first должен быть целым числом от 1 до ${FIRST_MAX}`);
    throw wirelabError('BAD_USER_INPUT', message, { fields: [{ field: 'first', message: message.en }] });
  }
  return value;
}

function checkLength(value: string | null | undefined, field: string, max: number): void {
  if (value && value.length > max) {
    const message = bilingual(`${field} must be at most ${max} characters`, `${field} должен быть не длиннее ${max} символов`);
    throw wirelabError('BAD_USER_INPUT', message, { fields: [{ field, message: message.en }] });
  }
}

const lower = <T extends string>(value: string | null | undefined): T | undefined => (value ? (value.toLowerCase() as T) : undefined);

interface MetadataEntryInput {
  key: string;
  value?: string | null;
}

function metadataOf(entries: MetadataEntryInput[] | null | undefined): Record<string, string | null> | undefined {
  if (!entries) return undefined;
  return Object.fromEntries(entries.map((e) => [e.key, e.value ?? null]));
}

/** Copies only the fields the client sent: absent fields must stay absent (a merge patch). */
function present<T extends Record<string, unknown>>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}

// ---- relations: one function answers many parents; with batching off it gets one at a time.

export interface RelationQuery<Parent, Params = Record<string, unknown>> {
  obj: Parent;
  params: Params;
}

export type Relation<Parent, Result> = (queries: Array<RelationQuery<Parent>>, ctx: WirelabContext) => Promise<Result[]>;

function groupByFirst<Parent>(queries: Array<RelationQuery<Parent>>): Map<number, Array<{ query: RelationQuery<Parent>; index: number }>> {
  const groups = new Map<number, Array<{ query: RelationQuery<Parent>; index: number }>>();
  queries.forEach((query, index) => {
    const first = checkFirst(query.params.first);
    const group = groups.get(first) ?? [];
    group.push({ query, index });
    groups.set(first, group);
  });
  return groups;
}

const userPosts: Relation<UserNode, PostNode[]> = async (queries, ctx) => {
  const results: PostNode[][] = queries.map(() => []);
  for (const [first, group] of groupByFirst(queries)) {
    const posts = ctx.meter.measure(() => ctx.domain.posts.listByAuthors(ctx.sandboxId, [...new Set(group.map((g) => g.query.obj.id))], first));
    for (const { query, index } of group) results[index] = posts.filter((p) => p.author_id === query.obj.id).map(postNode);
  }
  return results;
};

const postComments: Relation<PostNode, CommentNode[]> = async (queries, ctx) => {
  const results: CommentNode[][] = queries.map(() => []);
  for (const [first, group] of groupByFirst(queries)) {
    const comments = ctx.meter.measure(() => ctx.domain.comments.listByPosts(ctx.sandboxId, [...new Set(group.map((g) => g.query.obj.id))], first));
    for (const { query, index } of group) results[index] = comments.filter((c) => c.post_id === query.obj.id).map(commentNode);
  }
  return results;
};

function usersById<Parent>(idOf: (parent: Parent) => number): Relation<Parent, UserNode> {
  return async (queries, ctx) => {
    const ids = queries.map((q) => idOf(q.obj));
    const users = ctx.meter.measure(() => ctx.domain.users.getMany(ctx.sandboxId, [...new Set(ids)]));
    const byId = new Map(users.map((u) => [u.id, userNode(u)]));
    // A foreign key guarantees the user; a concurrent delete is the only way to miss one. An
    // Error as a field's value is how graphql-js lets a batch fail one parent only.
    return ids.map((id) => byId.get(id) ?? new NotFoundError('user', id)) as UserNode[];
  };
}

const commentPost: Relation<CommentNode, PostNode> = async (queries, ctx) => {
  const ids = queries.map((q) => q.obj.postId);
  const posts = ctx.meter.measure(() => ctx.domain.posts.getMany(ctx.sandboxId, [...new Set(ids)]));
  const byId = new Map(posts.map((p) => [p.id, postNode(p)]));
  return ids.map((id) => byId.get(id) ?? new NotFoundError('post', id)) as PostNode[];
};

/** Relation fields: batched through mercurius loaders, or one parent at a time (README, "N+1"). */
export const RELATIONS = {
  User: { posts: userPosts as Relation<unknown, unknown> },
  Post: { author: usersById<PostNode>((p) => p.authorId) as Relation<unknown, unknown>, comments: postComments as Relation<unknown, unknown> },
  Comment: { author: usersById<CommentNode>((c) => c.authorId) as Relation<unknown, unknown>, post: commentPost as Relation<unknown, unknown> },
} satisfies Record<string, Record<string, Relation<unknown, unknown>>>;

// ---- root fields

interface ListArgs {
  first?: number | null;
  after?: string | null;
}

function checkCursor(after: string | null | undefined): string | undefined {
  checkLength(after, 'after', GRAPHQL_LIMITS.maxCursorLength);
  return after ?? undefined;
}

function orNull<T>(read: () => T): T | null {
  try {
    return read();
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

export const rootResolvers = {
  Query: {
    user: (_: unknown, args: { id: string }, ctx: WirelabContext) => {
      const id = parseId(args.id, 'id');
      const user = orNull(() => ctx.meter.measure(() => ctx.domain.users.get(ctx.sandboxId, id)));
      return user && userNode(user);
    },
    users: (
      _: unknown,
      args: ListArgs & {
        filter?: { status?: string | null; role?: string | null; search?: string | null } | null;
        orderBy?: Array<{ field: string; direction: string }> | null;
      },
      ctx: WirelabContext,
    ) => {
      checkLength(args.filter?.search, 'filter.search', GRAPHQL_LIMITS.maxSearchLength);
      const filter: UserFilter = present({
        status: lower<NonNullable<UserFilter['status']>>(args.filter?.status),
        role: lower<NonNullable<UserFilter['role']>>(args.filter?.role),
        q: args.filter?.search ?? undefined,
      });
      const sort = (args.orderBy ?? []).map((o) => ({
        field: o.field.toLowerCase() as UserSortField,
        direction: o.direction === 'DESC' ? ('desc' as const) : ('asc' as const),
      }));
      const page = ctx.meter.measure(() =>
        ctx.domain.users.listByCursor(ctx.sandboxId, { filter, sort, limit: checkFirst(args.first), cursor: checkCursor(args.after) ?? null }),
      );
      return { nodes: page.items.map(userNode), pageInfo: { hasNextPage: page.next_cursor !== null, endCursor: page.next_cursor } };
    },
    post: (_: unknown, args: { id: string }, ctx: WirelabContext) => {
      const id = parseId(args.id, 'id');
      const post = orNull(() => ctx.meter.measure(() => ctx.domain.posts.get(ctx.sandboxId, id)));
      return post && postNode(post);
    },
    posts: (_: unknown, args: ListArgs & { authorId?: string | null; search?: string | null }, ctx: WirelabContext) => {
      checkLength(args.search, 'search', GRAPHQL_LIMITS.maxSearchLength);
      const filter = present({ author_id: args.authorId == null ? undefined : parseId(args.authorId, 'authorId'), q: args.search ?? undefined });
      const page = ctx.meter.measure(() =>
        ctx.domain.posts.listByCursor(ctx.sandboxId, { filter, limit: checkFirst(args.first), cursor: checkCursor(args.after) ?? null }),
      );
      return { nodes: page.items.map(postNode), pageInfo: { hasNextPage: page.next_cursor !== null, endCursor: page.next_cursor } };
    },
  },
  Mutation: {
    createUser: (
      _: unknown,
      args: {
        input: { name: string; email: string; status?: string | null; roles?: string[] | null; metadata?: MetadataEntryInput[] | null; phone?: string | null };
      },
      ctx: WirelabContext,
    ) => {
      const { input } = args;
      const user = ctx.meter.measure(() =>
        ctx.domain.users.create(
          ctx.sandboxId,
          present({
            name: input.name,
            email: input.email,
            status: lower(input.status),
            roles: input.roles?.map((r) => r.toLowerCase()),
            metadata: metadataOf(input.metadata),
            phone: input.phone,
          }),
        ),
      );
      return userNode(user);
    },
    updateUser: (
      _: unknown,
      args: {
        id: string;
        input: {
          name?: string | null;
          email?: string | null;
          status?: string | null;
          roles?: string[] | null;
          metadata?: MetadataEntryInput[] | null;
          phone?: string | null;
        };
      },
      ctx: WirelabContext,
    ) => {
      const id = parseId(args.id, 'id');
      const { input } = args;
      // An explicit null is kept (phone: null removes the phone; elsewhere the domain refuses it).
      const patch = present({
        name: input.name,
        email: input.email,
        status: input.status == null ? input.status : input.status.toLowerCase(),
        roles: input.roles == null ? input.roles : input.roles.map((r) => r.toLowerCase()),
        metadata: input.metadata === null ? null : metadataOf(input.metadata),
        phone: input.phone,
      });
      return userNode(ctx.meter.measure(() => ctx.domain.users.patch(ctx.sandboxId, id, patch)));
    },
    deleteUser: (_: unknown, args: { id: string }, ctx: WirelabContext) => {
      const id = parseId(args.id, 'id');
      ctx.meter.measure(() => ctx.domain.users.delete(ctx.sandboxId, id));
      return id;
    },
    createPost: (_: unknown, args: { input: { authorId: string; title: string; content: string } }, ctx: WirelabContext) => {
      const { input } = args;
      const authorId = parseId(input.authorId, 'authorId');
      return postNode(ctx.meter.measure(() => ctx.domain.posts.create(ctx.sandboxId, { author_id: authorId, title: input.title, content: input.content })));
    },
    addComment: (_: unknown, args: { postId: string; input: { authorId: string; content: string } }, ctx: WirelabContext) => {
      const postId = parseId(args.postId, 'postId');
      const authorId = parseId(args.input.authorId, 'authorId');
      return commentNode(ctx.meter.measure(() => ctx.domain.comments.create(ctx.sandboxId, postId, { author_id: authorId, content: args.input.content })));
    },
  },
};

// ---- subscriptions: the domain's event bus, one sandbox

function startSubscription(ctx: WirelabContext): () => void {
  const connection = ctx.connection;
  if (!connection) return () => {};
  if (connection.activeSubscriptions >= GRAPHQL_LIMITS.maxSubscriptionsPerConnection) {
    const limit = GRAPHQL_LIMITS.maxSubscriptionsPerConnection;
    throw wirelabError(
      'TOO_MANY_SUBSCRIPTIONS',
      bilingual(`At most ${limit} subscriptions may be live on one connection.`, `На одном соединении может быть не больше ${limit} активных подписок.`),
      { limit },
    );
  }
  connection.activeSubscriptions += 1;
  return () => {
    connection.activeSubscriptions -= 1;
  };
}

export interface SubscriptionObserver {
  /** a subscription started listening to the event bus */
  started(field: string, sandboxId: string): void;
  ended(field: string, sandboxId: string): void;
}

/** `selectorFor(args)` checks the arguments (throwing ends the subscription at once) and picks the events. */
function subscriptionField<T>(
  field: string,
  observer: SubscriptionObserver,
  selectorFor: (args: Record<string, unknown>) => (event: DomainEvent) => T | undefined,
) {
  return {
    subscribe: (_: unknown, args: Record<string, unknown>, ctx: WirelabContext) => {
      const select = selectorFor(args);
      const release = startSubscription(ctx);
      const stream = domainEventStream(
        ctx.domain.events,
        ctx.sandboxId,
        (event) => {
          const value = select(event);
          return value === undefined ? undefined : { [field]: value };
        },
        GRAPHQL_LIMITS.maxQueuedEventsPerSubscription,
        () => {
          release();
          observer.ended(field, ctx.sandboxId);
        },
      );
      observer.started(field, ctx.sandboxId);
      return stream;
    },
  };
}

export function subscriptionResolvers(observer: SubscriptionObserver) {
  return {
    Subscription: {
      postAdded: subscriptionField('postAdded', observer, (args) => {
        const authorId = args.authorId == null ? null : parseId(args.authorId, 'authorId');
        return (event) => {
          if (event.type !== 'post.created') return undefined;
          const post = event.data as Post;
          return authorId === null || post.author_id === authorId ? postNode(post) : undefined;
        };
      }),
      userChanged: subscriptionField('userChanged', observer, () => (event) => {
        if (event.type === 'user.created' || event.type === 'user.updated') {
          const user = event.data as User;
          return { kind: event.type === 'user.created' ? 'CREATED' : 'UPDATED', id: user.id, user: userNode(user) };
        }
        if (event.type === 'user.deleted') return { kind: 'DELETED', id: (event.data as { id: number }).id, user: null };
        return undefined;
      }),
    },
  };
}
