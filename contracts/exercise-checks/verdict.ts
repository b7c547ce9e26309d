// What the server answers when a page reports an exercise (POST /_wirelab/class/progress,
// contracts/class-channel/PROTOCOL.md): the board keeps the server's verdict, never the page's.

/**
 * passed: the server found what the exercise's check asks in the bytes it captured for the
 * browser session that asked; otherwise why not:
 * - `not-seen`: the captures hold no traffic that passes the check (or the answer differs from it);
 *   for lesson 15's `own-server-fixed`: no kept run of that session fixed its server;
 * - `no-captures`: this server holds no captures of that session (none made here, recording off,
 *   or the request carried no session cookie);
 * - `ended`: the class had ended; the page reports the pass again when the class reopens.
 */
export type ServerVerdict = { passed: true } | { passed: false; why: 'not-seen' | 'no-captures' | 'ended' };

/**
 * A miss the server did not count (issue 51: no miss for honest work): `frozen`, the teacher's
 * freeze refused the student's write; `no-answer`, the cell ran before an answer was typed (the
 * question was not answered wrong, it was not answered yet); `not-reached`, the request the miss
 * names never reached this server's own listener (a cell aimed at "my server", or no capture).
 */
export type UncountedMiss = { counted: false; why: 'frozen' | 'no-answer' | 'not-reached' };
