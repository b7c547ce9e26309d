/**
 * Every kind of change the domain announces (the AsyncAPI document lists its channels from this).
 * A module of constants only: the web app imports it without pulling server code into its bundle.
 */
export const DOMAIN_EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.deleted',
  'post.created',
  'post.updated',
  'post.deleted',
  'comment.created',
  'sandbox.reset',
] as const;

export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];
