import { csvCell } from '../../shared/csv-cell.ts';
import type { ProtocolResult } from './lab-types.ts';

const COLUMNS = [
  'job',
  'users',
  'protocol',
  'graphql_batching',
  'wire',
  'runs',
  'bytes_up',
  'payload_up',
  'bytes_down',
  'payload_down',
  'new_tcp',
  'round_trips',
  'ttfb_ms_median',
  'ttfb_ms_min',
  'ttfb_ms_max',
  'total_ms_median',
  'total_ms_min',
  'total_ms_max',
  'latency_ms_median',
  'idle_bytes_per_minute',
  'gzip_payload_down',
  'sql_statements',
  'failure',
] as const;

/**
 * The table as CSV (RFC 4180, comma-separated, a header line): one line per protocol and job.
 * `users`: the list job's size or the by-id job's count; `graphql_batching`: on/off on the by-id
 * job's GraphQL rows, empty where the knob does not apply.
 */
export function resultsToCsv(results: readonly ProtocolResult[]): string {
  const lines = results.map((row) =>
    [
      row.job,
      row.job === 'list' ? row.size : (row.byIdCount ?? ''),
      row.protocol,
      row.graphqlBatching === undefined ? '' : row.graphqlBatching ? 'on' : 'off',
      row.versions.join(' '),
      row.runs.length,
      row.bytesUp,
      row.payloadUp,
      row.bytesDown,
      row.payloadDown,
      row.opened,
      row.roundTrips,
      row.ttfb?.median,
      row.ttfb?.min,
      row.ttfb?.max,
      row.total?.median,
      row.total?.min,
      row.total?.max,
      row.latency?.median,
      row.idleBytesPerMinute,
      row.gzipPayloadDown,
      row.runs[0]?.sqlStatements,
      row.failure?.en,
    ]
      .map(csvCell)
      .join(','),
  );
  return [COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}
