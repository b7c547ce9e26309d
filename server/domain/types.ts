export const USER_STATUSES = ['active', 'inactive', 'banned'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const USER_ROLES = ['admin', 'author', 'reviewer', 'reader'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface User {
  id: number;
  name: string;
  email: string;
  status: UserStatus;
  roles: UserRole[];
  metadata: Record<string, string>;
  phone: string | null;
  created_at: string;
  updated_at: string;
  /** Bumped on every change; protocols derive ETags from it. */
  version: number;
}

export interface Post {
  id: number;
  author_id: number;
  title: string;
  content: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface Comment {
  id: number;
  post_id: number;
  author_id: number;
  content: string;
  created_at: string;
}

/** Every writable field of a user: what a full replacement (PUT) must send. */
export interface UserReplacement {
  name: string;
  email: string;
  status: UserStatus;
  roles: UserRole[];
  metadata: Record<string, string>;
  phone: string | null;
}

/** A new user: name and email are required, the rest has defaults (active, ["reader"], {}, null). */
export type UserCreation = Pick<UserReplacement, 'name' | 'email'> & Partial<UserReplacement>;

/**
 * A JSON merge patch (RFC 7396) of a user: absent fields stay, `metadata` keys merge and a
 * `null` key removes that entry, `phone: null` removes the phone.
 */
export interface UserPatch {
  name?: string;
  email?: string;
  status?: UserStatus;
  roles?: UserRole[];
  metadata?: Record<string, string | null>;
  phone?: string | null;
}

export interface PostReplacement {
  author_id: number;
  title: string;
  content: string;
}
export type PostCreation = PostReplacement;
export type PostPatch = Partial<PostReplacement>;

export interface CommentCreation {
  author_id: number;
  content: string;
}

export type SortDirection = 'asc' | 'desc';
export interface SortKey<F extends string> {
  field: F;
  direction: SortDirection;
}

export const USER_SORT_FIELDS = ['id', 'name', 'email', 'created_at'] as const;
export type UserSortField = (typeof USER_SORT_FIELDS)[number];
export const POST_SORT_FIELDS = ['id', 'title', 'created_at'] as const;
export type PostSortField = (typeof POST_SORT_FIELDS)[number];

export interface UserFilter {
  status?: UserStatus;
  role?: UserRole;
  /** name or email contains this, case-insensitively (Cyrillic too) */
  q?: string;
}

export interface PostFilter {
  author_id?: number;
  q?: string;
}

export interface ListOptions<F extends string, Filter> {
  filter?: Filter;
  /** id is always added as the last tiebreaker; default: id ascending */
  sort?: SortKey<F>[];
  /** 1..100, default 10 */
  limit?: number;
}

export interface PageRequest<F extends string, Filter> extends ListOptions<F, Filter> {
  /** 1-based, default 1 */
  page?: number;
}

export interface CursorRequest<F extends string, Filter> extends ListOptions<F, Filter> {
  /** null or absent: the first page */
  cursor?: string | null;
}

export interface Page<T> {
  items: T[];
  page: number;
  limit: number;
  total: number;
}

export interface CursorPage<T> {
  items: T[];
  /** null on the last page */
  next_cursor: string | null;
}

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;
