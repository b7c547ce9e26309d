// The line that names a request in a report: the command line's "← request" and the page's
// "failed request" line (issue 51: a failure names the request that failed, not the check's first).

/** `PUT /api/v1/users/7 HTTP/1.1` from a request's bytes as `sent` shows them; gRPC's `:path` as `POST /… (HTTP/2)`. */
export function requestLineOf(sent: string): string {
  const lines = sent.split('\n').map((line) => line.trim());
  const path = lines.find((line) => line.startsWith(':path:'));
  if (path) return `POST ${path.slice(':path:'.length).trim()} (HTTP/2)`;
  const first = lines.find((line) => line.length > 0) ?? '';
  return first.length > 120 ? `${first.slice(0, 120)}…` : first;
}
