// RFC 9457 problem details as every HTTP answer of this server writes them (the REST API, and
// the refusals of the WebSocket, SSE and long-polling endpoints).
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
/** Identifies the kind of problem (RFC 9457 `type`); a name, never fetched. */
export const PROBLEM_TYPE_BASE = 'https://wirelab.dev/problems/';
