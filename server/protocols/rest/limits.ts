/** Bodies over this get 413: the demo's entities are small, and a classroom server is shared. */
export const API_BODY_LIMIT = 64 * 1024;
/** Per session (or per sandbox and address without a session); generous for a student, not for a loop. */
export const DEFAULT_RATE_LIMIT = { max: 200, timeWindowMs: 10_000 } as const;
export const PATCH_MEDIA_TYPES = ['application/json', 'application/merge-patch+json'];
