import { markMessage } from '../message-marks.ts';
import { bytesRu, ru } from '../node-text.ts';
import type { ByteRange, WireNode } from '../types.ts';
import { decodeProtobuf } from '../protobuf/decode-protobuf.ts';
import { messageByName } from '../protobuf/schema.ts';
import { decodeBase64 } from '../base64.ts';
import { GRPC_CODE_NAMES } from '../../shared/grpc-codes.ts';

// The end of every gRPC call: grpc-status (a code), grpc-message (percent-encoded text) and
// grpc-status-details-bin (a google.rpc.Status in base64). Native gRPC sends them as HTTP/2
// trailers, gRPC-Web in a trailers frame in the body, Connect streaming as the end-stream JSON.

export const GRPC_CODES: readonly string[] = GRPC_CODE_NAMES;

export function grpcCodeName(code: number): string {
  return GRPC_CODES[code] ?? `UNKNOWN_CODE_${code}`;
}

/** Connect writes codes as lower-case names ("not_found"). */
export function grpcCodeFromConnect(name: string): number | undefined {
  // Connect spells code 1 the American way
  const index = name === 'canceled' ? 1 : GRPC_CODES.indexOf(name.toUpperCase());
  return index === -1 ? undefined : index;
}

/** One header or trailer with where its bytes are (an HPACK representation, a trailer line…). */
export interface LocatedField {
  name: string;
  value: string;
  range: ByteRange;
}

/** grpc-message is percent-encoded (gRPC over HTTP/2 spec); a malformed escape stays as sent. */
export function decodeGrpcMessage(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The status of a call, from its trailers (or a trailers-only response), as one node marked as a
 * 'grpc-status' WireMessage. Undefined when there is no grpc-status.
 */
export function grpcStatusNode(fields: readonly LocatedField[], protocol: 'grpc' | 'grpc-web', method?: string): WireNode | undefined {
  const status = fields.find((field) => field.name === 'grpc-status');
  if (!status) return undefined;
  const code = Number(status.value);
  const message = fields.find((field) => field.name === 'grpc-message');
  const details = fields.find((field) => field.name === 'grpc-status-details-bin');
  const children: WireNode[] = [{ kind: 'grpc-status-code', label: 'grpc-status', value: `${status.value} ${grpcCodeName(code)}`, range: status.range }];
  const text = message ? decodeGrpcMessage(message.value) : '';
  if (message)
    children.push(
      ru(
        { kind: 'grpc-status-message', label: 'grpc-message (percent-decoded)', value: text, range: message.range },
        'grpc-message (после процентного декодирования)',
      ),
    );
  let detailTypes: string[] = [];
  if (details) {
    const decoded = statusDetailsNode(details);
    children.push(decoded.node);
    detailTypes = decoded.types;
  }
  const all = [status, message, details].filter((field): field is LocatedField => field !== undefined);
  const range = { start: Math.min(...all.map((field) => field.range.start)), end: Math.max(...all.map((field) => field.range.end)) };
  const node = ru(
    {
      kind: 'grpc-status',
      label: `gRPC status ${grpcCodeName(code)}`,
      value: text || (code === 0 ? 'the call succeeded' : ''),
      range,
      children,
      ...(code !== 0 ? { error: `grpc-${grpcCodeName(code).toLowerCase().replace(/_/g, '-')}` } : {}),
    },
    `Статус gRPC ${grpcCodeName(code)}`,
    text || (code === 0 ? 'вызов прошёл успешно' : ''),
  );
  const fieldsOut: Record<string, string | number | boolean> = { protocol, code, codeName: grpcCodeName(code), message: text };
  if (detailTypes.length > 0) fieldsOut.details = detailTypes.join(',');
  if (method) fieldsOut.method = method;
  return markMessage(node, {
    layer: 'grpc-status',
    summary: `${grpcCodeName(code)}${text ? ` · ${text}` : ''}${detailTypes.length > 0 ? ` · ${detailTypes.join(', ')}` : ''}`,
    fields: fieldsOut,
  });
}

/** grpc-status-details-bin: base64 of a google.rpc.Status; its bytes are not on the wire as such, so every node points at the trailer. */
function statusDetailsNode(field: LocatedField): { node: WireNode; types: string[] } {
  const bytes = fromBase64(field.value);
  if (!bytes)
    return {
      node: ru(
        { kind: 'grpc-status-details', label: 'grpc-status-details-bin', value: 'not valid base64', range: field.range, error: 'invalid-base64' },
        'grpc-status-details-bin',
        'это не base64',
      ),
      types: [],
    };
  const decoded = ru(
    decodeProtobuf(bytes, () => field.range.start, messageByName('google.rpc.Status'), 'google.rpc.Status (base64-decoded)'),
    'google.rpc.Status (из base64)',
  );
  pinRanges(decoded, field.range);
  const types = collectAnyTypes(decoded);
  return {
    node: ru(
      {
        kind: 'grpc-status-details',
        label: 'grpc-status-details-bin → google.rpc.Status',
        value: types.join(', ') || `${bytes.length} bytes`,
        range: field.range,
        children: [decoded],
      },
      'grpc-status-details-bin → google.rpc.Status',
      types.join(', ') || bytesRu(bytes.length),
    ),
    types,
  };
}

/** Every node of a subtree decoded from re-encoded bytes points at the field that carried them. */
export function pinRanges(node: WireNode, range: ByteRange): void {
  node.range = range;
  for (const child of node.children ?? []) pinRanges(child, range);
}

function collectAnyTypes(node: WireNode): string[] {
  const found: string[] = [];
  const visit = (current: WireNode): void => {
    if (current.kind === 'pb-field' && current.label.startsWith('3 details')) found.push(current.value ?? '');
    for (const child of current.children ?? []) visit(child);
  };
  visit(node);
  return found.filter(Boolean);
}

/** Standard or URL-safe base64, padded or not (gRPC sends -bin values unpadded). */
export function fromBase64(text: string): Uint8Array | undefined {
  return decodeBase64(text.trim(), 'standard-or-url') ?? undefined;
}
