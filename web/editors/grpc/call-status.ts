import { fromBinary, toJson, type JsonValue, type Registry } from '@bufbuild/protobuf';
// One table of gRPC code names for the inspector and the editor.
import { grpcCodeName } from '../../../wire/grpc/grpc-status.ts';
import { base64Encode } from '@bufbuild/protobuf/wire';

export { grpcCodeName };

/** One `google.rpc.Status` detail: decoded to protobuf JSON when its type is known, else its bytes. */
export type StatusDetail = { type: string; json: JsonValue } | { type: string; base64: string };

export interface CallStatus {
  code: number;
  name: string;
  message: string;
  details: StatusDetail[];
}

/** The detail shapes a ConnectError carries: received (type + bytes) or built locally (desc + value). */
type ErrorDetail = { type: string; value: Uint8Array } | { desc: { typeName: string }; value: unknown };

/** What ConnectError tells about a failed call, with every detail decoded that the registry knows. */
export function statusOfError(error: { code: number; rawMessage: string; details: ErrorDetail[] }, registry: Registry): CallStatus {
  return {
    code: error.code,
    name: grpcCodeName(error.code),
    message: error.rawMessage,
    details: error.details.map((detail) => decodeDetail(detail, registry)),
  };
}

export function decodeDetail(detail: ErrorDetail, registry: Registry): StatusDetail {
  if ('desc' in detail) return { type: detail.desc.typeName, json: detail.value as JsonValue };
  const desc = registry.getMessage(detail.type);
  if (desc) {
    try {
      return { type: detail.type, json: toJson(desc, fromBinary(desc, detail.value), { registry }) };
    } catch {
      // bytes that do not parse as the named type: show them as they are
    }
  }
  return { type: detail.type, base64: base64Encode(detail.value) };
}

export const OK_STATUS: CallStatus = { code: 0, name: 'OK', message: '', details: [] };

/**
 * The lines a status box shows for a detail, e.g. `ErrorInfo: reason USER_NOT_FOUND`: the reason
 * or violation a learner should read first, before the full JSON.
 */
export function detailHeadline(detail: StatusDetail): string {
  const shortType = detail.type.replace(/^google\.rpc\./, '');
  if (!('json' in detail) || detail.json === null || typeof detail.json !== 'object' || Array.isArray(detail.json)) return shortType;
  const json = detail.json as Record<string, JsonValue>;
  switch (detail.type) {
    case 'google.rpc.ErrorInfo':
      return `${shortType}: ${String(json.reason ?? '')}${json.domain ? ` @ ${String(json.domain)}` : ''}`;
    case 'google.rpc.BadRequest': {
      const violations = Array.isArray(json.fieldViolations) ? json.fieldViolations : [];
      const fields = violations.map((violation) => String((violation as Record<string, JsonValue>).field ?? '?'));
      return `${shortType}: ${fields.join(', ')}`;
    }
    case 'google.rpc.RetryInfo':
      return `${shortType}: ${String(json.retryDelay ?? '')}`;
    case 'google.rpc.ResourceInfo':
      return `${shortType}: ${String(json.resourceType ?? '')} ${String(json.resourceName ?? '')}`.trimEnd();
    default:
      return shortType;
  }
}

/** ErrorInfo.domain of Wirelab's own details (server/protocols/grpc/connect-error-of.ts). */
const WIRELAB_ERROR_DOMAIN = 'wirelab.dev';

/**
 * The lesson section a status points back to: a call refused because the student's graceful
 * shutdown (lesson 4) still holds the sandbox's server down names that section in its ErrorInfo.
 */
export function lessonSectionOf(status: CallStatus): { lesson: string; section: string } | undefined {
  for (const detail of status.details) {
    if (detail.type !== 'google.rpc.ErrorInfo' || !('json' in detail) || detail.json === null || typeof detail.json !== 'object' || Array.isArray(detail.json))
      continue;
    const info = detail.json as { reason?: unknown; domain?: unknown; metadata?: Record<string, unknown> };
    if (info.domain !== WIRELAB_ERROR_DOMAIN || info.reason !== 'SANDBOX_SHUT_DOWN') continue;
    const lesson = info.metadata?.lesson;
    const section = info.metadata?.section;
    // only a plain slug and anchor become a link
    if (typeof lesson === 'string' && typeof section === 'string' && /^[a-z0-9-]+$/.test(lesson) && /^[a-z0-9-]+$/.test(section)) return { lesson, section };
  }
  return undefined;
}
