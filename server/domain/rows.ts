// The tables' rows and the records the domain hands out: users keep roles and metadata as JSON text.
import { NotFoundError, ValidationError } from './errors.ts';
import type { Statements } from './statements.ts';
import type { Comment, Post, User } from './types.ts';

export interface UserRow {
  id: number;
  name: string;
  email: string;
  status: User['status'];
  roles: string;
  metadata: string;
  phone: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export type PostRow = Post;
export type CommentRow = Comment;

export function userOf(row: UserRow): User {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    status: row.status,
    roles: JSON.parse(row.roles) as User['roles'],
    metadata: JSON.parse(row.metadata) as User['metadata'],
    phone: row.phone,
    created_at: row.created_at,
    updated_at: row.updated_at,
    version: row.version,
  };
}

export function postOf(row: PostRow): Post {
  const { id, author_id, title, content, created_at, updated_at, version } = row;
  return { id, author_id, title, content, created_at, updated_at, version };
}

export function commentOf(row: CommentRow): Comment {
  const { id, post_id, author_id, content, created_at } = row;
  return { id, post_id, author_id, content, created_at };
}

export function findUser(statements: Statements, sandboxId: string, id: number): User {
  const row = statements.getUser.get(sandboxId, id) as UserRow | undefined;
  if (!row) throw new NotFoundError('user', id);
  return userOf(row);
}

export function findPost(statements: Statements, sandboxId: string, id: number): Post {
  const row = statements.getPost.get(sandboxId, id) as PostRow | undefined;
  if (!row) throw new NotFoundError('post', id);
  return postOf(row);
}

/** A post or comment names an author that must exist in the sandbox. */
export function checkAuthorExists(statements: Statements, sandboxId: string, authorId: number): void {
  if (!statements.getUser.get(sandboxId, authorId)) {
    throw new ValidationError([{ field: 'author_id', message: `there is no user ${authorId}` }]);
  }
}
