import type { Bilingual } from '../../shared/bilingual.ts';
import type { EventsMeasure, RunMeasure, Spread } from './measure.ts';

export const REQUEST_PROTOCOLS = ['rest', 'graphql-post', 'graphql-get', 'connect-json', 'connect-binary', 'grpc-web', 'grpc-native', 'rest-gateway'] as const;
export type RequestProtocol = (typeof REQUEST_PROTOCOLS)[number];

export const EVENTS_PROTOCOLS = ['sse', 'websocket', 'socket-io', 'long-polling', 'graphql-sub', 'grpc-stream', 'mqtt'] as const;
export type EventsProtocol = (typeof EVENTS_PROTOCOLS)[number];

export const BURST_PROTOCOLS = ['ws-burst', 'sio-burst', 'grpc-client-stream', 'http-one-by-one'] as const;
export type BurstProtocol = (typeof BURST_PROTOCOLS)[number];

export type Protocol = RequestProtocol | EventsProtocol | BurstProtocol;

export const LIST_SIZES = [1, 10, 100] as const;
export type ListSize = (typeof LIST_SIZES)[number];

/** by-id job: how many users, each read with its own operation (a GraphQL batch holds at most 10) */
export const BY_ID_COUNTS = [1, 3, 5, 10] as const;

export type RequestJob =
  | { kind: 'read' }
  | { kind: 'list'; size: ListSize }
  | { kind: 'create' }
  /** users 1..count, each with their posts, one after the other; GraphQL POST may batch them */
  | { kind: 'by-id'; count: number; graphqlBatching: boolean };

export type JobKind = RequestJob['kind'] | 'events' | 'burst';

/** What the student set before pressing "run". */
export interface LabSettings {
  job: JobKind;
  size: ListSize;
  /** measured runs per protocol (median and spread over them) */
  repetitions: number;
  /** warm: one unmeasured run first, so the measured ones reuse its connections */
  warm: boolean;
  /** events job: how many events (burst job: how many messages), and how long to watch an idle connection */
  events: number;
  idleSeconds: number;
  protocols: Protocol[];
  /** by-id job: how many users (BY_ID_COUNTS) */
  byIdCount: number;
  /** by-id job: GraphQL sends its operations as one batched POST (a JSON array) instead of one request each */
  graphqlBatching: boolean;
}

/** One measured run of one protocol. */
export interface MeasuredRun {
  measure: RunMeasure;
  /** events job only */
  events?: EventsMeasure;
  items: number;
  sqlStatements?: number;
  /** the first run's captured response bodies, gzipped here (request jobs) */
  gzipDown?: number;
}

/** A row of the table: one protocol, its runs, their medians. */
export interface ProtocolResult {
  protocol: Protocol;
  job: JobKind;
  size: ListSize;
  /** by-id job: how many users were read */
  byIdCount?: number;
  /** by-id job, GraphQL rows: the batching knob as it was for this row */
  graphqlBatching?: boolean;
  runs: MeasuredRun[];
  /** why this protocol cannot do this job, or what went wrong (English and Russian) */
  failure?: Bilingual;
  /** the medians shown in the row */
  bytesUp: number;
  bytesDown: number;
  payloadUp: number;
  payloadDown: number;
  opened: number;
  roundTrips: number;
  versions: string[];
  ttfb: Spread | null;
  total: Spread | null;
  latency: Spread | null;
  idleBytesPerMinute: number | null;
  /** gzip of the captured response bodies of the median run (for the protobuf vs JSON claim) */
  gzipPayloadDown?: number;
}
