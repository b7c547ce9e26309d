// What the domain's services promise, apart from how domain.ts and the *-service.ts files keep it.
import type { Comment, CursorPage, CursorRequest, Page, PageRequest, Post, PostFilter, PostSortField, User, UserFilter, UserSortField } from './types.ts';

export interface UserService {
  list(sandboxId: string, request?: PageRequest<UserSortField, UserFilter>): Page<User>;
  listByCursor(sandboxId: string, request?: CursorRequest<UserSortField, UserFilter>): CursorPage<User>;
  get(sandboxId: string, id: number): User;
  /** Batch read: the users with these ids (missing ids are left out), in id order; one SQL statement. */
  getMany(sandboxId: string, ids: readonly number[]): User[];
  /** input: see UserCreation; anything else is a ValidationError */
  create(sandboxId: string, input: unknown): User;
  /** input: see UserReplacement (every writable field) */
  replace(sandboxId: string, id: number, input: unknown): User;
  /** input: see UserPatch (a JSON merge patch) */
  patch(sandboxId: string, id: number, input: unknown): User;
  /** also deletes the user's posts and comments */
  delete(sandboxId: string, id: number): void;
}

export interface PostService {
  list(sandboxId: string, request?: PageRequest<PostSortField, PostFilter>): Page<Post>;
  listByCursor(sandboxId: string, request?: CursorRequest<PostSortField, PostFilter>): CursorPage<Post>;
  get(sandboxId: string, id: number): Post;
  /** Batch read: the posts with these ids (missing ids are left out), in id order; one SQL statement. */
  getMany(sandboxId: string, ids: readonly number[]): Post[];
  /** Batch read: the first `limitPerAuthor` posts (oldest first) of each author; one SQL statement. */
  listByAuthors(sandboxId: string, authorIds: readonly number[], limitPerAuthor: number): Post[];
  create(sandboxId: string, input: unknown): Post;
  replace(sandboxId: string, id: number, input: unknown): Post;
  patch(sandboxId: string, id: number, input: unknown): Post;
  /** also deletes the post's comments */
  delete(sandboxId: string, id: number): void;
}

export interface CommentService {
  /** every comment of the post, oldest first; NotFoundError when the post does not exist */
  listByPost(sandboxId: string, postId: number): Comment[];
  get(sandboxId: string, id: number): Comment;
  /** Batch read: the first `limitPerPost` comments (oldest first) of each post; one SQL statement. */
  listByPosts(sandboxId: string, postIds: readonly number[], limitPerPost: number): Comment[];
  create(sandboxId: string, postId: number, input: unknown): Comment;
}
