// `POST /_wirelab/own-server/http`: a lesson's HTTP cell aimed at "my server". Wirelab sends the
// cell's request to the student's own server over a guarded connection recorded by the byte tap
// (the same guard, budget and limits as the checks), and answers what that server answered:
// status, reason, headers in order, the body's bytes. Refusals are problem+json in both languages.
import type { Bilingual } from '../../shared/bilingual.ts';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import type { OwnServerHttpAnswer, OwnServerHttpRequest } from '../../contracts/own-server/http-relay.ts';
export { OWN_SERVER_HTTP_PATH } from '../../contracts/own-server/http-relay.ts';
import { OwnServerRefusal } from './address-guard.ts';
import { CheckStopped, openGuardedSocket, type ConnectionContext, type Target } from './connection.ts';
import { connectionFact } from './connection-facts.ts';
import { OWN_SERVER_LIMITS } from './limits.ts';
import { addressOf } from './relay-facts.ts';

/** The request's own body at most 64 KiB; with the JSON around it and escaping, the route's body limit. */
export const RELAY_LIMITS = { bodyBytes: 64 * 1024, routeBodyBytes: 160 * 1024, headers: 50 } as const;

/**
 * The methods a student's web server serves (RFC 9110 §9 less CONNECT and TRACE, and PATCH):
 * anything else is no HTTP cell's business, and a token like SET or FLUSHALL is another
 * protocol's command (issue 36: `SET /key` ran in a Redis on the teacher's machine). CONNECT
 * would also make Node wait for a tunnel instead of an answer.
 */
export const RELAYED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** The first character of a header value that is not Latin-1 (node:http writes values as latin1 bytes and throws past U+00FF). */
export function nonLatin1Character(value: string): string | null {
  const match = /[^\u0000-\u00ff]/u.exec(value);
  return match ? match[0] : null;
}

/**
 * Headers that frame the message or the connection: Node writes them from what it sends (Host from
 * the target, Content-Length from the body), so a typed one could only contradict them.
 */
export const RELAY_FRAMING_HEADERS = ['host', 'content-length', 'transfer-encoding', 'connection', 'upgrade', 'keep-alive', 'te', 'trailer', 'expect'];

export const relayRequestSchema = {
  type: 'object',
  properties: {
    target: { type: 'string', minLength: 1, maxLength: 300 },
    method: { type: 'string', pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,20}$" },
    path: { type: 'string', pattern: '^/[\\x21-\\x7e]*$', maxLength: 4096 },
    headers: {
      type: 'array',
      maxItems: RELAY_LIMITS.headers,
      items: {
        type: 'array',
        minItems: 2,
        maxItems: 2,
        items: [
          { type: 'string', pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$" },
          { type: 'string', pattern: '^[\\t\\x20-\\x7e\\x80-\\uffff]*$', maxLength: 4096 },
        ],
      },
    },
    body: { type: ['string', 'null'], maxLength: RELAY_LIMITS.bodyBytes },
  },
  required: ['target', 'method', 'path', 'headers', 'body'],
  additionalProperties: false,
} as const;

/** Why a relayed request got no answer: the HTTP status the route answers with, and the words. */
export class RelayFailure extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly localized: Bilingual,
  ) {
    super(localized.en);
  }
}

/**
 * One HTTP/1.1 request to the student's server on a guarded, tapped connection of its own. The
 * headers go as given: an array keeps the student's order and case, and Host is the caller's to write.
 */
export function guardedHttpRequest(target: Target, context: ConnectionContext, method: string, path: string, headers: Array<[string, string]>): ClientRequest {
  return httpRequest({
    method,
    path,
    host: target.host,
    port: target.port,
    headers: headers.flat(),
    setHost: false,
    // no `agent`: node:http would open its own connection, past the guard (README, "Safe by construction")
    agent: undefined,
    createConnection: () => openGuardedSocket(target, context, { transport: 'http/1.1' }),
  });
}

/** Sends the cell's request to the student's server and reads the whole answer, within the check limits. */
export function relayHttp(target: Target, spec: OwnServerHttpRequest, context: ConnectionContext): Promise<OwnServerHttpAnswer> {
  const started = performance.now();
  return new Promise<OwnServerHttpAnswer>((resolve, reject) => {
    const body = spec.body === null ? undefined : Buffer.from(spec.body, 'utf8');
    const headers: Array<[string, string]> = [['Host', addressOf(target)], ...spec.headers];
    if (body) headers.push(['Content-Length', String(body.length)]);
    // one request per connection: kept alive, it would hold one of the student's four connections until their server closed it
    headers.push(['Connection', 'close']);
    let outgoing: ClientRequest;
    try {
      outgoing = guardedHttpRequest(target, context, spec.method, spec.path, headers);
    } catch (error) {
      // node:http refused the request before any connection (a character it will not write): the request's fault, not the server's
      const text = error instanceof Error ? error.message : String(error);
      return reject(new RelayFailure(400, 'bad-check-request', { en: `This request cannot be sent: ${text}`, ru: `Этот запрос нельзя отправить: ${text}` }));
    }
    const timer = setTimeout(
      () => outgoing.destroy(new Error(`no answer within ${OWN_SERVER_LIMITS.checkTimeoutMs} ms: ${spec.method} ${spec.path}`)),
      OWN_SERVER_LIMITS.checkTimeoutMs,
    );
    outgoing.once('error', (error) => {
      clearTimeout(timer);
      reject(failureOf(error, target));
    });
    outgoing.once('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', (error) => reject(failureOf(error, target)));
      response.once('end', () => {
        clearTimeout(timer);
        resolve({
          status: response.statusCode ?? 0,
          statusText: response.statusMessage ?? '',
          headers: pairs(response.rawHeaders),
          body: Buffer.concat(chunks).toString('base64'),
          durationMs: performance.now() - started,
          // the route gives each relayed request a tap of its own: its one connection is this one
          connection: context.tap?.takeOpened()[0] ?? null,
        });
      });
    });
    outgoing.end(body);
  });
}

function pairs(raw: string[]): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) result.push([raw[i], raw[i + 1]]);
  return result;
}

/** The route's answer for an error of a relayed request: the guard's refusal, the fact, or the timeout. */
export function failureOf(error: unknown, target: Target): RelayFailure {
  if (error instanceof OwnServerRefusal) return new RelayFailure(error.code === 'too-many-connections' ? 429 : 403, error.code, error.localized);
  if (error instanceof CheckStopped)
    return new RelayFailure(499, 'stopped', { en: error.message, ru: 'Запрос остановлен: страница, которая его отправила, закрыта.' });
  const fact = connectionFact(error, target);
  const timedOut = error instanceof Error && /^no (answer|TCP connection) within/.test(error.message);
  const text = error instanceof Error ? error.message : String(error);
  return new RelayFailure(
    timedOut ? 504 : 502,
    timedOut ? 'own-server-timeout' : 'own-server-unreachable',
    fact ?? { en: `Your server's answer could not be read: ${text}`, ru: `Ответ вашего сервера не удалось прочитать: ${text}` },
  );
}
