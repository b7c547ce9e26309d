import { useEffect, useMemo, useState } from 'react';
import { useLang, useStrings } from '../app/lang-context.ts';
import { appStrings } from '../app/strings.ts';
import { sessionReady } from '../app/session.ts';
import { Inspector } from '../inspector/inspector.tsx';
import { getCaptureStore } from '../inspector/capture-store.ts';
import { downloadBytes } from '../inspector/download-file.ts';
import { BarChart, type Bar } from './bar-chart.tsx';
import { claimVerdicts } from './claims.ts';
import { describeFailure } from './lab-error.ts';
import { batchingApplies, runLab, type RunProgress } from './lab-runner.ts';
import { BURST_PROTOCOLS, BY_ID_COUNTS, EVENTS_PROTOCOLS, LIST_SIZES, REQUEST_PROTOCOLS, type JobKind, type LabSettings, type ListSize, type Protocol, type ProtocolResult } from './lab-types.ts';
import type { Spread } from './measure.ts';
import { resultsToCsv } from './results-csv.ts';
import { compareStrings, protocolNames } from './strings.ts';
import './compare-lab.css';

const JOBS: JobKind[] = ['read', 'by-id', 'list', 'create', 'events', 'burst'];

/** One of the lab's knobs: a labelled choice among a few numbers. */
function NumberSelect({ label, testId, value, options, onChange, disabled, unit }: { label: string; testId: string; value: number; options: readonly number[]; onChange(value: number): void; disabled: boolean; unit?: string }) {
  return (
    <label>
      {label}{' '}
      <select data-testid={testId} value={value} onChange={(event) => onChange(Number(event.target.value))} disabled={disabled}>
        {options.map((option) => (
          <option key={option} value={option}>
            {unit ? `${option} ${unit}` : option}
          </option>
        ))}
      </select>
    </label>
  );
}

function protocolsFor(job: JobKind): readonly Protocol[] {
  if (job === 'events') return EVENTS_PROTOCOLS;
  return job === 'burst' ? BURST_PROTOCOLS : REQUEST_PROTOCOLS;
}

// Rows with the GraphQL batching knob off and on stay side by side: comparing them is the point.
const sameRow = (a: ProtocolResult, b: ProtocolResult) =>
  a.protocol === b.protocol && a.job === b.job && (a.job !== 'list' || a.size === b.size) && a.byIdCount === b.byIdCount && a.graphqlBatching === b.graphqlBatching;

/** A row's protocol, and for the by-id job's GraphQL rows the batching knob as it was. */
const rowKey = (row: ProtocolResult) => (row.graphqlBatching === undefined ? row.protocol : `${row.protocol}:batching-${row.graphqlBatching ? 'on' : 'off'}`);

function spreadText(spread: Spread | null): string {
  if (!spread) return '—';
  return spread.count > 1 ? `${spread.median} (${spread.min}–${spread.max})` : String(spread.median);
}

/** `/en/compare`: one job over every protocol, measured from the captured bytes. */
export function CompareLab() {
  const t = useStrings(compareStrings);
  const app = useStrings(appStrings);
  const lang = useLang();
  const names = protocolNames[lang];
  const [settings, setSettings] = useState<LabSettings>({
    job: 'read',
    size: 1,
    repetitions: 3,
    warm: true,
    events: 3,
    idleSeconds: 30,
    protocols: [...REQUEST_PROTOCOLS],
    byIdCount: 3,
    graphqlBatching: false,
  });
  const [results, setResults] = useState<ProtocolResult[]>([]);
  const [progress, setProgress] = useState<RunProgress | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<{ en: string; ru: string } | null>(null);
  const [seeded, setSeeded] = useState(0);
  const [focus, setFocus] = useState<{ conn: string; index: number } | undefined>(undefined);

  useEffect(() => {
    document.title = `${t.title} — ${app.appName}`;
  }, [t, app]);
  useEffect(() => {
    getCaptureStore();
  }, []);

  const change = (next: Partial<LabSettings>) => setSettings((current) => ({ ...current, ...next }));
  const chooseJob = (job: JobKind) => change({ job, protocols: [...protocolsFor(job)] });
  const toggle = (protocol: Protocol, on: boolean) =>
    change({ protocols: protocolsFor(settings.job).filter((candidate) => (candidate === protocol ? on : settings.protocols.includes(candidate))) });

  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      await sessionReady();
      const store = getCaptureStore();
      await runLab(
        store,
        settings,
        (result) => setResults((current) => [...current.filter((row) => !sameRow(row, result)), result]),
        setProgress,
        setSeeded,
      );
    } catch (failure) {
      setError(describeFailure(failure));
    } finally {
      setRunning(false);
      setProgress(null);
    }
  };

  const shown = useMemo(
    () =>
      results
        .filter(
          (row) => row.job === settings.job && (settings.job !== 'list' || row.size === settings.size) && (settings.job !== 'by-id' || row.byIdCount === settings.byIdCount),
        )
        // in the knobs' order, a GraphQL row without batching just above the same with it
        .sort((a, b) => protocolsFor(a.job).indexOf(a.protocol) - protocolsFor(b.job).indexOf(b.protocol) || Number(a.graphqlBatching ?? 0) - Number(b.graphqlBatching ?? 0)),
    [results, settings.job, settings.size, settings.byIdCount],
  );
  const measured = shown.filter((row) => !row.failure);
  const claims = useMemo(() => claimVerdicts(results, lang), [results, lang]);

  const labelOf = (row: ProtocolResult) => (row.graphqlBatching === undefined ? names[row.protocol] : `${names[row.protocol]}, ${row.graphqlBatching ? t.batchingOn : t.batchingOff}`);
  const bars = (value: (row: ProtocolResult) => number | null, part?: (row: ProtocolResult) => number, text?: (row: ProtocolResult) => string): Bar[] =>
    measured.flatMap((row) => {
      const v = value(row);
      return v === null ? [] : [{ key: rowKey(row), label: labelOf(row), value: v, part: part?.(row), text: text?.(row) }];
    });

  const isEvents = settings.job === 'events';

  return (
    <section className="compare-lab" data-testid="compare-lab">
      <h1>{t.title}</h1>
      <p className="compare-intro">{t.intro}</p>

      <form
        className="compare-knobs"
        onSubmit={(event) => {
          event.preventDefault();
          if (!running) void run();
        }}
      >
        <fieldset>
          <legend>{t.job}</legend>
          {JOBS.map((job) => (
            <label key={job}>
              <input type="radio" name="job" value={job} data-testid="compare-job" checked={settings.job === job} onChange={() => chooseJob(job)} disabled={running} />
              {t.jobs[job]}
            </label>
          ))}
          <p className="compare-note">{t.jobNotes[settings.job]}</p>
        </fieldset>

        <fieldset className="compare-knob-row">
          {settings.job === 'list' && (
            <NumberSelect label={t.size} testId="compare-size" value={settings.size} options={LIST_SIZES} onChange={(value) => change({ size: value as ListSize })} disabled={running} />
          )}
          <NumberSelect label={t.repetitions} testId="compare-reps" value={settings.repetitions} options={[1, 3, 5, 9]} onChange={(value) => change({ repetitions: value })} disabled={running} />
          {settings.job === 'by-id' && (
            <>
              <NumberSelect label={t.size} testId="compare-by-id-count" value={settings.byIdCount} options={BY_ID_COUNTS} onChange={(value) => change({ byIdCount: value })} disabled={running} />
              <label>
                {t.graphqlBatching}{' '}
                <select
                  data-testid="compare-graphql-batching"
                  value={settings.graphqlBatching ? 'on' : 'off'}
                  onChange={(event) => change({ graphqlBatching: event.target.value === 'on' })}
                  disabled={running}
                >
                  <option value="off">{t.batchingOffOption}</option>
                  <option value="on">{t.batchingOnOption}</option>
                </select>
              </label>
            </>
          )}
          {!isEvents && settings.job !== 'burst' && (
            <label>
              {t.connection}{' '}
              <select data-testid="compare-warm" value={settings.warm ? 'warm' : 'cold'} onChange={(event) => change({ warm: event.target.value === 'warm' })} disabled={running}>
                <option value="warm">{t.warm}</option>
                <option value="cold">{t.cold}</option>
              </select>
            </label>
          )}
          {settings.job === 'burst' && (
            <NumberSelect label={t.messages} testId="compare-messages" value={settings.events} options={[1, 3, 5, 10]} onChange={(value) => change({ events: value })} disabled={running} />
          )}
          {isEvents && (
            <>
              <NumberSelect label={t.events} testId="compare-events" value={settings.events} options={[1, 3, 5, 10]} onChange={(value) => change({ events: value })} disabled={running} />
              <NumberSelect label={t.idle} testId="compare-idle" value={settings.idleSeconds} options={[2, 10, 30, 60]} onChange={(value) => change({ idleSeconds: value })} disabled={running} unit={t.seconds} />
            </>
          )}
        </fieldset>

        <fieldset className="compare-protocols">
          <legend>{t.protocols}</legend>
          {protocolsFor(settings.job).map((protocol) => (
            <label key={protocol}>
              <input
                type="checkbox"
                data-testid="compare-protocol"
                data-protocol={protocol}
                checked={settings.protocols.includes(protocol)}
                onChange={(event) => toggle(protocol, event.target.checked)}
                disabled={running}
              />
              {names[protocol]}
            </label>
          ))}
        </fieldset>
        {settings.job === 'by-id' && <p className="compare-note">{t.batchingNote}</p>}
        <p className="compare-note">{isEvents ? null : t.coldNote}</p>
        <p className="compare-note">{t.httpVersionNote}</p>

        <div className="compare-actions">
          <button type="submit" className="button button-primary" data-testid="compare-run" disabled={running || settings.protocols.length === 0}>
            {running ? t.running : t.run}
          </button>
          {progress && (
            <span data-testid="compare-progress" role="status">
              {t.progress(names[progress.protocol], progress.step, progress.steps)}
            </span>
          )}
          <button
            type="button"
            className="button"
            data-testid="compare-csv"
            disabled={results.length === 0}
            onClick={() => downloadBytes(new TextEncoder().encode(resultsToCsv(results)) as Uint8Array<ArrayBuffer>, `wirelab-compare-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`, 'text/csv')}
          >
            {t.downloadCsv}
          </button>
        </div>
        {seeded > 0 && (
          <p className="compare-note" data-testid="compare-seeded">
            {t.seeded(seeded)}
          </p>
        )}
        {error && (
          <p className="compare-error" role="alert" data-testid="compare-error">
            {error[lang]}
          </p>
        )}
      </form>

      {shown.length === 0 ? (
        <p className="compare-note">{t.noResults}</p>
      ) : (
        <>
          <div className="compare-charts">
            <BarChart title={t.charts.bytes} measure="bytes" bars={bars((row) => row.bytesUp + row.bytesDown, (row) => row.bytesUp + row.bytesDown - row.payloadUp - row.payloadDown)} />
            {!isEvents && <BarChart title={t.charts.roundTrips} measure="round-trips" bars={bars((row) => row.roundTrips)} />}
            {!isEvents && <BarChart title={t.charts.total} measure="total" bars={bars((row) => row.total?.median ?? null, undefined, (row) => spreadText(row.total))} />}
            {settings.job === 'burst' && (
              <BarChart title={t.charts.perMessage} measure="per-message" bars={bars((row) => Math.round((row.bytesUp + row.bytesDown) / Math.max(1, row.runs[0]?.items ?? 1)))} />
            )}
            {isEvents && <BarChart title={t.charts.latency} measure="latency" bars={bars((row) => row.latency?.median ?? null, undefined, (row) => spreadText(row.latency))} />}
            {isEvents && <BarChart title={t.charts.idle} measure="idle" bars={bars((row) => row.idleBytesPerMinute)} />}
          </div>
          <p className="compare-note">{t.inspectorHint}</p>
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
                {shown.map((row) => {
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
                      key={`${rowKey(row)}-${row.job}-${row.size}-${row.byIdCount ?? ''}`}
                      data-testid="compare-row"
                      data-protocol={row.protocol}
                      data-batching={row.graphqlBatching === undefined ? undefined : row.graphqlBatching ? 'on' : 'off'}
                      data-job={row.job}
                      data-failed={row.failure ? 'true' : 'false'}
                      data-runs={JSON.stringify(runsData)}
                      className={focusOf && focus && focus.conn === focusOf.conn && focus.index === focusOf.index ? 'compare-row-selected' : undefined}
                      onClick={() => focusOf && setFocus(focusOf)}
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
                        <td colSpan={isEvents ? 8 : 8} className="compare-failure" data-testid="compare-failure">
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
                })}
              </tbody>
            </table>
          </div>
        </>
      )}

      <section className="compare-claims" aria-labelledby="compare-claims-title">
        <h2 id="compare-claims-title">{t.claimsTitle}</h2>
        <dl>
          {claims.map((claim) => (
            <div key={claim.id} data-testid="compare-claim" data-claim={claim.id} data-measured={claim.measured ? 'true' : 'false'}>
              <dt>{claim.claim}</dt>
              <dd>
                {claim.measured ?? (
                  <>
                    {t.claimNotRun} {t.claimRunHint(t.jobs[claim.needs])}
                  </>
                )}
              </dd>
            </div>
          ))}
        </dl>
      </section>

      <section className="compare-inspector" aria-label={t.inspectorTitle}>
        <h2>{t.inspectorTitle}</h2>
        <Inspector focus={focus} />
      </section>
    </section>
  );
}
