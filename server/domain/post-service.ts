import type { Db } from './database.ts';
import type { PostService } from './services.ts';
import { checkLimit, listAfterCursor, listPage, type ListQuery } from './listing.ts';
import { checkAuthorExists, findPost, postOf, type PostRow } from './rows.ts';
import type { ServiceContext } from './service-context.ts';
import { POST_SORT_FIELDS, type CursorRequest, type PageRequest, type Post, type PostFilter, type PostSortField } from './types.ts';
import { validatePostPatch, validatePostReplacement } from './validation.ts';

function postQuery(db: Db, sandboxId: string, request: PageRequest<PostSortField, PostFilter> | CursorRequest<PostSortField, PostFilter>): ListQuery {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const filter = request.filter ?? {};
  if (filter.author_id !== undefined) {
    where.push('author_id = ?');
    params.push(filter.author_id);
  }
  if (filter.q) {
    const folded = filter.q.toLowerCase();
    where.push('(instr(wl_fold(title), ?) > 0 OR instr(wl_fold(content), ?) > 0)');
    params.push(folded, folded);
  }
  return { db, table: 'posts', sandboxId, where, params, sortable: POST_SORT_FIELDS, sort: request.sort, limit: request.limit };
}

export function createPostService({ db, statements, now, events, ensureSandbox, inSandbox }: ServiceContext): PostService {
  function writePost(sandboxId: string, id: number, fields: Pick<Post, 'author_id' | 'title' | 'content'>): Post {
    checkAuthorExists(statements, sandboxId, fields.author_id);
    statements.updatePost.run({
      sandbox_id: sandboxId,
      id,
      author_id: fields.author_id,
      title: fields.title.trim(),
      content: fields.content,
      updated_at: now().toISOString(),
    });
    const post = findPost(statements, sandboxId, id);
    events.emit('post.updated', sandboxId, post);
    return post;
  }

  return {
    list(sandboxId, request = {}) {
      ensureSandbox(sandboxId);
      const page = listPage<PostRow>(postQuery(db, sandboxId, request), request.page);
      return { ...page, items: page.items.map(postOf) };
    },
    listByCursor(sandboxId, request = {}) {
      ensureSandbox(sandboxId);
      const page = listAfterCursor<PostRow & Record<string, unknown>>(postQuery(db, sandboxId, request), request.cursor);
      return { ...page, items: page.items.map(postOf) };
    },
    get(sandboxId, id) {
      ensureSandbox(sandboxId);
      return findPost(statements, sandboxId, id);
    },
    getMany(sandboxId, ids) {
      ensureSandbox(sandboxId);
      return (statements.postsByIds.all(sandboxId, JSON.stringify(ids)) as PostRow[]).map(postOf);
    },
    listByAuthors(sandboxId, authorIds, limitPerAuthor) {
      ensureSandbox(sandboxId);
      const limit = checkLimit(limitPerAuthor);
      return (statements.postsByAuthors.all(sandboxId, JSON.stringify(authorIds), limit) as PostRow[]).map(postOf);
    },
    create: inSandbox((sandboxId: string, input: unknown) => {
      validatePostReplacement(input);
      checkAuthorExists(statements, sandboxId, input.author_id);
      const at = now().toISOString();
      const id = statements.nextId.post.get(sandboxId) as number;
      statements.insertPost.run({
        sandbox_id: sandboxId,
        id,
        author_id: input.author_id,
        title: input.title.trim(),
        content: input.content,
        created_at: at,
        updated_at: at,
        version: 1,
      });
      const post = findPost(statements, sandboxId, id);
      events.emit('post.created', sandboxId, post);
      return post;
    }),
    replace: inSandbox((sandboxId: string, id: number, input: unknown) => {
      findPost(statements, sandboxId, id);
      validatePostReplacement(input);
      return writePost(sandboxId, id, input);
    }),
    patch: inSandbox((sandboxId: string, id: number, input: unknown) => {
      const current = findPost(statements, sandboxId, id);
      validatePostPatch(input);
      return writePost(sandboxId, id, {
        author_id: input.author_id ?? current.author_id,
        title: input.title ?? current.title,
        content: input.content ?? current.content,
      });
    }),
    delete: inSandbox((sandboxId: string, id: number) => {
      findPost(statements, sandboxId, id);
      statements.deletePost.run(sandboxId, id);
      events.emit('post.deleted', sandboxId, { id });
    }),
  };
}
