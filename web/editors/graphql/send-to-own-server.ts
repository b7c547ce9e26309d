// A query or mutation sent to the student's own server: the same HTTP request "Copy as curl"
// shows (curl-request.ts), relayed by Wirelab's server (POST /_wirelab/own-server/http, the HTTP
// cells' relay), answered as the result panel shows any answer: status, body, GraphQL errors.
import type { Bilingual } from '../../../shared/bilingual.ts';
import { sendToOwnServer, type OwnServerOutcome } from '../http/send-to-own-server.ts';
import { graphqlHttpRequest } from './curl-request.ts';
import type { SentRequest } from './graphql-client.ts';

export type OwnGraphqlOutcome = { kind: 'sent'; sent: SentRequest } | { kind: 'refused'; status: number; message: Bilingual | null };

export async function sendGraphqlToOwnServer(
  address: string,
  operation: { query: string; variables: Record<string, unknown>; headers: ReadonlyArray<[string, string]>; name: string | null },
): Promise<OwnGraphqlOutcome> {
  const request = graphqlHttpRequest(operation.query, operation.variables, operation.headers, operation.name);
  const headers = request.headers.map(({ name, value }): [string, string] => [name, value]);
  const outcome: OwnServerOutcome = await sendToOwnServer(
    { url: request.target, target: request.target, method: request.method, headers, body: request.body, dropped: [] },
    address,
  );
  if (outcome.kind === 'refused') return outcome;
  const { response, sentAfter } = outcome;
  return {
    kind: 'sent',
    sent: {
      method: request.method,
      target: request.target,
      sentAfter,
      status: response.status,
      headers: response.headers,
      body: new TextDecoder().decode(response.body),
      durationMs: response.durationMs,
    },
  };
}
