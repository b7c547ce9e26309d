import { useLang, useStrings } from '../kit/lang-context.ts';
import { BarChart, type Bar } from './bar-chart.tsx';
import type { LabSettings, ProtocolResult } from './lab-types.ts';
import type { Spread } from './measure.ts';
import { compareStrings, protocolNames } from './strings.ts';

/** A row's protocol, and for the by-id job's GraphQL rows the batching knob as it was. */
const rowKey = (row: ProtocolResult) => (row.graphqlBatching === undefined ? row.protocol : `${row.protocol}:batching-${row.graphqlBatching ? 'on' : 'off'}`);

function spreadText(spread: Spread | null): string {
  if (!spread) return '—';
  return spread.count > 1 ? `${spread.median} (${spread.min}–${spread.max})` : String(spread.median);
}

type Focus = { conn: string; index: number } | undefined;

/** The measured rows as bar charts: bytes always, then what the job is about. */
export function ResultCharts({ shown, job }: { shown: ProtocolResult[]; job: LabSettings['job'] }) {
  const t = useStrings(compareStrings);
  const lang = useLang();
  const names = protocolNames[lang];
  const measured = shown.filter((row) => !row.failure);
  const isEvents = job === 'events';
  const labelOf = (row: ProtocolResult) =>
    row.graphqlBatching === undefined ? names[row.protocol] : `${names[row.protocol]}, ${row.graphqlBatching ? t.batchingOn : t.batchingOff}`;
  const bars = (value: (row: ProtocolResult) => number | null, part?: (row: ProtocolResult) => number, text?: (row: ProtocolResult) => string): Bar[] =>
    measured.flatMap((row) => {
      const v = value(row);
      return v === null ? [] : [{ key: rowKey(row), label: labelOf(row), value: v, part: part?.(row), text: text?.(row) }];
    });
  return (
    <div className="compare-charts">
      <BarChart
        title={t.charts.bytes}
        measure="bytes"
        bars={bars(
          (row) => row.bytesUp + row.bytesDown,
          (row) => row.bytesUp + row.bytesDown - row.payloadUp - row.payloadDown,
        )}
      />
      {!isEvents && <BarChart title={t.charts.roundTrips} measure="round-trips" bars={bars((row) => row.roundTrips)} />}
      {!isEvents && (
        <BarChart
          title={t.charts.total}
          measure="total"
          bars={bars(
            (row) => row.total?.median ?? null,
            undefined,
            (row) => spreadText(row.total),
          )}
        />
      )}
      {job === 'burst' && (
        <BarChart
          title={t.charts.perMessage}
          measure="per-message"
          bars={bars((row) => Math.round((row.bytesUp + row.bytesDown) / Math.max(1, row.runs[0]?.items ?? 1)))}
        />
      )}
      {isEvents && (
        <BarChart
          title={t.charts.latency}
          measure="latency"
          bars={bars(
            (row) => row.latency?.median ?? null,
            undefined,
            (row) => spreadText(row.latency),
          )}
        />
      )}
      {isEvents && <BarChart title={t.charts.idle} measure="idle" bars={bars((row) => row.idleBytesPerMinute)} />}
    </div>
  );
}

/** The rows as a table; a click on a row shows its first captured exchange in the inspector. */
export function ResultsTable({
  shown,
  isEvents,
  focus,
  onFocus,
}: {
  shown: ProtocolResult[];
  isEvents: boolean;
  focus: Focus;
  onFocus(focus: { conn: string; index: number }): void;
}) {
  const t = useStrings(compareStrings);
  return (
    <div className="compare-table-wrap">
      <table className="compare-table" data-testid="compare-table">
        <thead>
          <tr>
            <th>{t.columns.protocol}</th>
            <th>{t.columns.wire}</th>
            <th>{t.columns.up}</th>
            <th>{t.columns.down}</th>
            <th>{t.columns.opened}</th>
            <th>{t.columns.roundTrips}</th>
            {!isEvents && <th>{t.columns.ttfb}</th>}
            <th>{t.columns.total}</th>
            {isEvents && <th>{t.columns.latency}</th>}
            {isEvents && <th>{t.columns.idle}</th>}
            <th>{t.columns.items}</th>
            {!isEvents && <th>{t.columns.sql}</th>}
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <ResultRow key={`${rowKey(row)}-${row.job}-${row.size}-${row.byIdCount ?? ''}`} row={row} isEvents={isEvents} focus={focus} onFocus={onFocus} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ResultRow({
  row,
  isEvents,
  focus,
  onFocus,
}: {
  row: ProtocolResult;
  isEvents: boolean;
  focus: Focus;
  onFocus(focus: { conn: string; index: number }): void;
}) {
  const t = useStrings(compareStrings);
  const lang = useLang();
  const names = protocolNames[lang];
  const focusOf = row.runs.find((each) => each.measure.focus)?.measure.focus ?? undefined;
  const runsData = row.runs.map((each) => ({
    from: each.measure.window.from,
    to: each.measure.window.to,
    conns: each.measure.conns,
    up: each.measure.bytesUp,
    down: each.measure.bytesDown,
  }));
  return (
    <tr
      data-testid="compare-row"
      data-protocol={row.protocol}
      data-batching={row.graphqlBatching === undefined ? undefined : row.graphqlBatching ? 'on' : 'off'}
      data-job={row.job}
      data-failed={row.failure ? 'true' : 'false'}
      data-runs={JSON.stringify(runsData)}
      className={focusOf && focus && focus.conn === focusOf.conn && focus.index === focusOf.index ? 'compare-row-selected' : undefined}
      onClick={() => focusOf && onFocus(focusOf)}
      title={focusOf ? t.openInInspector : undefined}
    >
      <th scope="row">
        {names[row.protocol]}
        {row.graphqlBatching !== undefined && (
          <span className="compare-batching" data-testid="compare-batching">
            {row.graphqlBatching ? t.batchingOn : t.batchingOff}
          </span>
        )}
      </th>
      {row.failure ? (
        <td colSpan={8} className="compare-failure" data-testid="compare-failure">
          {row.failure[lang]}
        </td>
      ) : (
        <>
          <td>{row.versions.join(', ')}</td>
          <td data-testid="compare-up">
            {row.bytesUp} = {row.bytesUp - row.payloadUp} + {row.payloadUp}
          </td>
          <td data-testid="compare-down">
            {row.bytesDown} = {row.bytesDown - row.payloadDown} + {row.payloadDown}
          </td>
          <td>{row.opened}</td>
          <td data-testid="compare-round-trips">{row.roundTrips}</td>
          {!isEvents && <td>{spreadText(row.ttfb)}</td>}
          <td data-testid="compare-total">{spreadText(row.total)}</td>
          {isEvents && <td data-testid="compare-latency">{spreadText(row.latency)}</td>}
          {isEvents && <td data-testid="compare-idle-cost">{row.idleBytesPerMinute ?? '—'}</td>}
          <td>{row.runs[0]?.items ?? '—'}</td>
          {!isEvents && <td data-testid="compare-sql">{row.runs[0]?.sqlStatements ?? '—'}</td>}
        </>
      )}
    </tr>
  );
}
