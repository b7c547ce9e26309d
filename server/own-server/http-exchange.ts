// One HTTP/1.1 request to the student's server over a guarded connection (a fresh one each
// time, `Connection: close`), with the real bytes each way for the report.
import { runMarkHeader } from './wirelab-itself.ts';
import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { noteIfSilent, printable, withSeen, withTimeout, type SuiteContext } from './check-kit.ts';
import { openGuardedSocket, Transcript } from './connection.ts';
import { receivedHttp1 } from './http1-transcript.ts';
import { OWN_SERVER_LIMITS } from './limits.ts';

export interface HttpRequestSpec {
  method: string;
  path: string;
  /** A header given as undefined is left out, the default Accept too (a request with no Accept at all). */
  headers?: Record<string, string | undefined>;
  /** An object goes as JSON (`Content-Type: application/json` unless given); a string or bytes as they are. */
  body?: unknown;
  /** Silence is an answer here (HTTP/1.1 asked of a gRPC server): it does not stop the suite. */
  silenceIsAnAnswer?: boolean;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  bytes: Buffer;
  /** The request's bytes as they went out. */
  sent: string;
  /** The answer's bytes as they came in. */
  got: string;
}

function encodeBody(spec: HttpRequestSpec): { body?: Buffer; headers: Record<string, string> } {
  const given = { accept: 'application/json', connection: 'close', ...spec.headers };
  const headers: Record<string, string> = Object.fromEntries(Object.entries(given).filter((entry): entry is [string, string] => entry[1] !== undefined));
  if (spec.body === undefined) return { headers };
  const body =
    typeof spec.body === 'string' ? Buffer.from(spec.body) : spec.body instanceof Uint8Array ? Buffer.from(spec.body) : Buffer.from(JSON.stringify(spec.body));
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  headers['content-length'] = String(body.length);
  return { body, headers };
}

/** Sends `spec`, reads the whole answer (within the check's time limit). */
export function httpExchange(context: SuiteContext, spec: HttpRequestSpec): Promise<HttpAnswer> {
  const transcript = new Transcript();
  const { body, headers } = encodeBody({ ...spec, headers: { ...runMarkHeader(context), ...spec.headers } });
  let outgoing: ReturnType<typeof request> | undefined;
  const exchange = new Promise<HttpAnswer>((resolve, reject) => {
    outgoing = request({
      method: spec.method,
      path: spec.path,
      host: context.target.host,
      port: context.target.port,
      headers,
      // no `agent`: with one (even `agent: false`, which makes a fresh Agent) node:http would open
      // its own connection and never call createConnection, bypassing the guard
      agent: undefined,
      createConnection: () => openGuardedSocket(context.target, context, { transcript, transport: 'http/1.1' }),
    });
    outgoing.once('error', reject);
    outgoing.once('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', reject);
      response.once('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text: Buffer.concat(chunks).toString('utf8'),
          bytes: Buffer.concat(chunks),
          sent: printable(transcript.sentBytes()),
          got: receivedHttp1(transcript.receivedBytes(), spec.method),
        }),
      );
    });
    outgoing.end(body);
  });
  return withTimeout(exchange, OWN_SERVER_LIMITS.checkTimeoutMs, context.signal, `${spec.method} ${spec.path}`).catch((error: unknown) => {
    // A server that never answers keeps the connection open: it would hold one of the student's
    // connections (their budget) until the server closed it.
    outgoing?.destroy();
    // node:http makes its own "socket hang up" error: the report's fact needs how much came first.
    if (error instanceof Error) (error as Error & { receivedBytes?: number }).receivedBytes ??= transcript.receivedBytes().length;
    if (!spec.silenceIsAnAnswer) noteIfSilent(context, error, transcript.receivedBytes().length);
    throw withSeen(error, { sent: printable(transcript.sentBytes()), got: receivedHttp1(transcript.receivedBytes(), spec.method) });
  });
}

export function mediaType(headers: IncomingHttpHeaders): string {
  return String(headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
