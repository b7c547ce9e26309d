import type { CommentService } from './services.ts';
import { NotFoundError } from './errors.ts';
import { checkLimit } from './listing.ts';
import { checkAuthorExists, commentOf, findPost, type CommentRow } from './rows.ts';
import type { ServiceContext } from './service-context.ts';
import { validateCommentCreation } from './validation.ts';

export function createCommentService({ statements, now, events, ensureSandbox, inSandbox }: ServiceContext): CommentService {
  return {
    listByPost(sandboxId, postId) {
      ensureSandbox(sandboxId);
      findPost(statements, sandboxId, postId);
      return (statements.commentsOfPost.all(sandboxId, postId) as CommentRow[]).map(commentOf);
    },
    get(sandboxId, id) {
      ensureSandbox(sandboxId);
      const row = statements.getComment.get(sandboxId, id) as CommentRow | undefined;
      if (!row) throw new NotFoundError('comment', id);
      return commentOf(row);
    },
    listByPosts(sandboxId, postIds, limitPerPost) {
      ensureSandbox(sandboxId);
      const limit = checkLimit(limitPerPost);
      return (statements.commentsByPosts.all(sandboxId, JSON.stringify(postIds), limit) as CommentRow[]).map(commentOf);
    },
    create: inSandbox((sandboxId: string, postId: number, input: unknown) => {
      findPost(statements, sandboxId, postId);
      validateCommentCreation(input);
      checkAuthorExists(statements, sandboxId, input.author_id);
      const id = statements.nextId.comment.get(sandboxId) as number;
      statements.insertComment.run({
        sandbox_id: sandboxId,
        id,
        post_id: postId,
        author_id: input.author_id,
        content: input.content,
        created_at: now().toISOString(),
      });
      const comment = commentOf(statements.getComment.get(sandboxId, id) as CommentRow);
      events.emit('comment.created', sandboxId, comment);
      return comment;
    }),
  };
}
