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

export type RequestJob = { kind: 'read' } | { kind: 'list'; size: ListSize } | { kind: 'create' };

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
  runs: MeasuredRun[];
  /** why this protocol cannot do this job, or what went wrong (English and Russian) */
  failure?: { en: string; ru: string };
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
