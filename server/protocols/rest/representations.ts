import type { Comment, Post, User } from '../../domain/index.ts';

/** The wire form of a user in API version 1: the domain's fields without the internal version. */
export function userV1(user: User) {
  const { version: _version, ...fields } = user;
  return fields;
}

export function postV1(post: Post) {
  const { version: _version, ...fields } = post;
  return fields;
}

export function commentV1(comment: Comment) {
  return { ...comment };
}

/** Version 2: camelCase, and the name split at its first space (a single word has an empty last name). */
export function userV2(user: User) {
  const [first, ...rest] = user.name.split(' ');
  return {
    id: user.id,
    name: { first, last: rest.join(' ') },
    email: user.email,
    status: user.status,
    roles: user.roles,
    metadata: user.metadata,
    phone: user.phone,
    createdAt: user.created_at,
    updatedAt: user.updated_at,
  };
}
