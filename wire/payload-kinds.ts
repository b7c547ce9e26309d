// What tells which layer reads a payload or a connection: paths and subprotocols. Cheap to
// import on purpose: the lazy layer catalog (connection-decoders.ts) decides with these which
// decoder to download, and the decoders themselves use the same functions to accept a payload.

/** Whether a request path is a GraphQL endpoint: ours is /graphql. */
export function isGraphqlPath(path: string | undefined): boolean {
  return path !== undefined && /^\/graphql\/?$/.test(path);
}

/** The WebSocket subprotocols of GraphQL over WebSocket: graphql-ws's and the legacy one. */
export const GRAPHQL_WS_SUBPROTOCOLS = ['graphql-transport-ws', 'graphql-ws'] as const;

/** Whether a request path is Engine.IO's (Socket.IO's transport): /socket.io/. */
export function isEngineIoPath(path: string | undefined): boolean {
  return path !== undefined && /^\/socket\.io\/?$/.test(path);
}

/** The WebSocket subprotocols of MQTT over WebSocket (3.1.1 and 3.1). */
export function isMqttSubprotocol(subprotocol: string | undefined): boolean {
  return subprotocol === 'mqtt' || subprotocol === 'mqttv3.1';
}

/**
 * Whether a path has the shape of a call to a service in a package: /wirelab.users.v1.UserService/GetUser.
 * Every service the protobuf schema knows has a package (payload-kinds.test.ts checks it), so a
 * Connect unary call is always of this shape; REST paths (/api/v1/users) are not.
 */
export function isPackagedRpcPath(path: string | undefined): boolean {
  return /^\/[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\/[A-Za-z_]\w*$/.test(path ?? '');
}

/** JSON bodies (RFC 8259): application/json, application/problem+json and any other `+json` type. */
export function isJsonContentType(type: string): boolean {
  return type === 'application/json' || /^application\/[\w.!#$&^-]+\+json$/.test(type);
}

/** Newline-delimited JSON: one JSON text per line. */
export const NDJSON_CONTENT_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/jsonlines'] as const;

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** The bodies the JSON and form layer reads, by their media type (lower case, without parameters). */
export function isJsonOrFormContentType(type: string): boolean {
  return isJsonContentType(type) || (NDJSON_CONTENT_TYPES as readonly string[]).includes(type) || type === FORM_CONTENT_TYPE;
}
