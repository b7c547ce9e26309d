// `POST /_wirelab/own-server/http`: a lesson's HTTP cell aimed at the student's own server
// (PROTOCOL.md, "An HTTP cell aimed at my server"). Pure TypeScript: the server and the page import it.
import type { CapturedConnectionRef } from './check-result.ts';

export const OWN_SERVER_HTTP_PATH = '/_wirelab/own-server/http';

/** The cell's request, as typed (the page drops what a browser would not send either). */
export interface OwnServerHttpRequest {
  /** `host:port` of the student's server */
  target: string;
  method: string;
  /** the request-target: `/api/v1/users?page=2` */
  path: string;
  /** in the order typed; Host, Content-Length and the other framing headers are Wirelab's to write */
  headers: Array<[string, string]>;
  /** UTF-8 text, at most 64 KiB; null: no body */
  body: string | null;
}

/** What the student's server answered, as it answered. */
export interface OwnServerHttpAnswer {
  status: number;
  statusText: string;
  /** every header line in order, names as the server wrote them */
  headers: Array<[string, string]>;
  /** the body's bytes, base64 */
  body: string;
  durationMs: number;
  /** the connection the byte tap recorded for the session that asked (null: not recorded) */
  connection: CapturedConnectionRef | null;
}
