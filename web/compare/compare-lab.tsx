import type { Bilingual } from '../../shared/bilingual.ts';
import { useEffect, useMemo, useState } from 'react';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { appStrings } from '../kit/strings.ts';
import { sessionReady } from '../kit/session.ts';
import { Inspector } from '../inspector/inspector.tsx';
import { getCaptureStore } from '../inspector/capture-store.ts';
import { claimVerdicts } from './claims.ts';
import { describeFailure } from './lab-error.ts';
import { LabKnobs, protocolsFor } from './lab-knobs.tsx';
import { ResultCharts, ResultsTable } from './lab-results.tsx';
import { runLab, type RunProgress } from './lab-runner.ts';
import { REQUEST_PROTOCOLS, type LabSettings, type ProtocolResult } from './lab-types.ts';
import { compareStrings } from './strings.ts';
import './compare-lab.css';

// Rows with the GraphQL batching knob off and on stay side by side: comparing them is the point.
const sameRow = (a: ProtocolResult, b: ProtocolResult) =>
  a.protocol === b.protocol &&
  a.job === b.job &&
  (a.job !== 'list' || a.size === b.size) &&
  a.byIdCount === b.byIdCount &&
  a.graphqlBatching === b.graphqlBatching;

/** `/en/compare`: one job over every protocol, measured from the captured bytes. */
export function CompareLab() {
  const t = useStrings(compareStrings);
  const app = useStrings(appStrings);
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
  const [error, setError] = useState<Bilingual | null>(null);
  const [seeded, setSeeded] = useState(0);
  const [focus, setFocus] = useState<{ conn: string; index: number } | undefined>(undefined);

  useEffect(() => {
    document.title = `${t.title} — ${app.appName}`;
  }, [t, app]);
  useEffect(() => {
    getCaptureStore();
  }, []);

  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      await sessionReady();
      const store = getCaptureStore();
      await runLab(store, settings, (result) => setResults((current) => [...current.filter((row) => !sameRow(row, result)), result]), setProgress, setSeeded);
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
          (row) =>
            row.job === settings.job &&
            (settings.job !== 'list' || row.size === settings.size) &&
            (settings.job !== 'by-id' || row.byIdCount === settings.byIdCount),
        )
        // in the knobs' order, a GraphQL row without batching just above the same with it
        .sort(
          (a, b) =>
            protocolsFor(a.job).indexOf(a.protocol) - protocolsFor(b.job).indexOf(b.protocol) ||
            Number(a.graphqlBatching ?? 0) - Number(b.graphqlBatching ?? 0),
        ),
    [results, settings.job, settings.size, settings.byIdCount],
  );

  return (
    <section className="compare-lab" data-testid="compare-lab">
      <h1>{t.title}</h1>
      <p className="compare-intro">{t.intro}</p>
      <LabKnobs
        settings={settings}
        setSettings={setSettings}
        running={running}
        onRun={() => void run()}
        progress={progress}
        results={results}
        seeded={seeded}
        error={error}
      />
      {shown.length === 0 ? (
        <p className="compare-note">{t.noResults}</p>
      ) : (
        <>
          <ResultCharts shown={shown} job={settings.job} />
          <p className="compare-note">{t.inspectorHint}</p>
          <ResultsTable shown={shown} isEvents={settings.job === 'events'} focus={focus} onFocus={setFocus} />
        </>
      )}
      <ClaimsPanel results={results} />
      <section className="compare-inspector" aria-label={t.inspectorTitle}>
        <h2>{t.inspectorTitle}</h2>
        <Inspector focus={focus} />
      </section>
    </section>
  );
}

/** What is often said about the protocols, each with what this page's runs measured (or which job to run). */
function ClaimsPanel({ results }: { results: ProtocolResult[] }) {
  const t = useStrings(compareStrings);
  const lang = useLang();
  const claims = useMemo(() => claimVerdicts(results, lang), [results, lang]);
  return (
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
  );
}
