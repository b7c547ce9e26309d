import type { HttpRequestText } from '../http/parse-http-request.ts';
import type { HttpSpec } from './spec.ts';

// An http cell's spec, apart from cell-spec.ts: that module reads every kind of cell, and with
// them the gRPC method catalog (the protobuf schemas) and the GraphQL parser, which a REST
// lesson's cells would otherwise download and run on the way to their first editor.

/** Path and query, percent-encoded as the browser sends them. */
export function encodedTarget(target: string): string {
  const url = new URL(target, 'http://wirelab.invalid');
  return url.pathname + url.search;
}

export function httpSpecOf(request: HttpRequestText): HttpSpec {
  return {
    kind: 'http',
    method: request.method,
    target: encodedTarget(request.target),
    headers: request.headers.map((header) => [header.name, header.value]),
    body: request.body,
  };
}
