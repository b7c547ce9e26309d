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
 * A miss the server did not count (issue 51: no miss for honest work). A miss is an attempt that
 * reached the server and was wrong for the exercise's question; the server decides it from its own
 * captures (miss-verdict.ts), the page's word about the miss is only which attempt it means:
 * - `frozen`: the teacher's freeze refused the student's write;
 * - `no-answer`: the cell ran before an answer was typed, or a question about a capture file was
 *   reported with none (not answered wrong, not answered yet);
 * - `unfinished`: nothing wrong was sent — the step the check asks next has not come yet (a
 *   prerequisite step done right, such as the first `DELETE` of "delete twice"; fewer messages so
 *   far than the check counts), a lesson 15 run that has not fixed the student's server yet, or
 *   the report names no exchange or message;
 * - `not-reached`: the exchange or message the miss names never reached this server's own listener
 *   (a cell aimed at "my server", a forged report, or no capture here);
 * - `not-this-question`: it reached the server but was no wrong answer to this exercise given what
 *   came before it (another exchange on a shared connection or console, a step that held);
 * - `passed`: the server's captures already pass the exercise, or the board holds it passed (a
 *   question about a capture file: its pass was an answer, not traffic the server still holds).
 */
export type UncountedMiss = { counted: false; why: 'frozen' | 'no-answer' | 'unfinished' | 'not-reached' | 'not-this-question' | 'passed' };
