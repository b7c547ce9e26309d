import type { Bilingual } from '../../shared/bilingual.ts';
import type { Dispatch, SetStateAction } from 'react';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { downloadBytes } from '../inspector/download-file.ts';
import type { RunProgress } from './lab-runner.ts';
import {
  BURST_PROTOCOLS,
  BY_ID_COUNTS,
  EVENTS_PROTOCOLS,
  LIST_SIZES,
  REQUEST_PROTOCOLS,
  type JobKind,
  type LabSettings,
  type ListSize,
  type Protocol,
  type ProtocolResult,
} from './lab-types.ts';
import { resultsToCsv } from './results-csv.ts';
import { compareStrings, protocolNames } from './strings.ts';

const JOBS: JobKind[] = ['read', 'by-id', 'list', 'create', 'events', 'burst'];

/** One of the lab's knobs: a labelled choice among a few numbers. */
function NumberSelect({
  label,
  testId,
  value,
  options,
  onChange,
  disabled,
  unit,
}: {
  label: string;
  testId: string;
  value: number;
  options: readonly number[];
  onChange(value: number): void;
  disabled: boolean;
  unit?: string;
}) {
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

export function protocolsFor(job: JobKind): readonly Protocol[] {
  if (job === 'events') return EVENTS_PROTOCOLS;
  return job === 'burst' ? BURST_PROTOCOLS : REQUEST_PROTOCOLS;
}

/** The lab's knobs: the job, its sizes, the protocols to run; Run, the progress, the CSV, and what went wrong. */
export function LabKnobs({
  settings,
  setSettings,
  running,
  onRun,
  progress,
  results,
  seeded,
  error,
}: {
  settings: LabSettings;
  setSettings: Dispatch<SetStateAction<LabSettings>>;
  running: boolean;
  onRun(): void;
  progress: RunProgress | null;
  results: ProtocolResult[];
  seeded: number;
  error: Bilingual | null;
}) {
  const t = useStrings(compareStrings);
  const lang = useLang();
  const change = (next: Partial<LabSettings>) => setSettings((current) => ({ ...current, ...next }));
  const isEvents = settings.job === 'events';
  return (
    <form
      className="compare-knobs"
      onSubmit={(event) => {
        event.preventDefault();
        if (!running) onRun();
      }}
    >
      <JobChoice settings={settings} change={change} running={running} />

      <JobOptions settings={settings} change={change} running={running} />

      <ProtocolChoice settings={settings} change={change} running={running} />
      {settings.job === 'by-id' && <p className="compare-note">{t.batchingNote}</p>}
      <p className="compare-note">{isEvents ? null : t.coldNote}</p>
      <p className="compare-note">{t.httpVersionNote}</p>

      <LabActions settings={settings} running={running} progress={progress} results={results} />
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
  );
}

interface KnobProps {
  settings: LabSettings;
  change(next: Partial<LabSettings>): void;
  running: boolean;
}

/** The job to run, with a note on what it measures; a new job chooses all its protocols. */
function JobChoice({ settings, change, running }: KnobProps) {
  const t = useStrings(compareStrings);
  const chooseJob = (job: JobKind) => change({ job, protocols: [...protocolsFor(job)] });
  return (
    <fieldset>
      <legend>{t.job}</legend>
      {JOBS.map((job) => (
        <label key={job}>
          <input
            type="radio"
            name="job"
            value={job}
            data-testid="compare-job"
            checked={settings.job === job}
            onChange={() => chooseJob(job)}
            disabled={running}
          />
          {t.jobs[job]}
        </label>
      ))}
      <p className="compare-note">{t.jobNotes[settings.job]}</p>
    </fieldset>
  );
}

/** The protocols the job can run over, each on or off. */
function ProtocolChoice({ settings, change, running }: KnobProps) {
  const t = useStrings(compareStrings);
  const names = protocolNames[useLang()];
  const toggle = (protocol: Protocol, on: boolean) =>
    change({ protocols: protocolsFor(settings.job).filter((candidate) => (candidate === protocol ? on : settings.protocols.includes(candidate))) });
  return (
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
  );
}

/** Run (while none runs), the progress of the run, and the results as CSV. */
function LabActions({
  settings,
  running,
  progress,
  results,
}: {
  settings: LabSettings;
  running: boolean;
  progress: RunProgress | null;
  results: ProtocolResult[];
}) {
  const t = useStrings(compareStrings);
  const names = protocolNames[useLang()];
  return (
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
        onClick={() =>
          downloadBytes(
            new TextEncoder().encode(resultsToCsv(results)) as Uint8Array<ArrayBuffer>,
            `wirelab-compare-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`,
            'text/csv',
          )
        }
      >
        {t.downloadCsv}
      </button>
    </div>
  );
}

/** The knobs of the chosen job: list size, repetitions, ids per read and batching, warm or cold, messages, events and idle time. */
function JobOptions({ settings, change, running }: { settings: LabSettings; change(next: Partial<LabSettings>): void; running: boolean }) {
  const t = useStrings(compareStrings);
  const isEvents = settings.job === 'events';
  return (
    <fieldset className="compare-knob-row">
      {settings.job === 'list' && (
        <NumberSelect
          label={t.size}
          testId="compare-size"
          value={settings.size}
          options={LIST_SIZES}
          onChange={(value) => change({ size: value as ListSize })}
          disabled={running}
        />
      )}
      <NumberSelect
        label={t.repetitions}
        testId="compare-reps"
        value={settings.repetitions}
        options={[1, 3, 5, 9]}
        onChange={(value) => change({ repetitions: value })}
        disabled={running}
      />
      {settings.job === 'by-id' && (
        <>
          <NumberSelect
            label={t.size}
            testId="compare-by-id-count"
            value={settings.byIdCount}
            options={BY_ID_COUNTS}
            onChange={(value) => change({ byIdCount: value })}
            disabled={running}
          />
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
          <select
            data-testid="compare-warm"
            value={settings.warm ? 'warm' : 'cold'}
            onChange={(event) => change({ warm: event.target.value === 'warm' })}
            disabled={running}
          >
            <option value="warm">{t.warm}</option>
            <option value="cold">{t.cold}</option>
          </select>
        </label>
      )}
      {settings.job === 'burst' && (
        <NumberSelect
          label={t.messages}
          testId="compare-messages"
          value={settings.events}
          options={[1, 3, 5, 10]}
          onChange={(value) => change({ events: value })}
          disabled={running}
        />
      )}
      {isEvents && (
        <>
          <NumberSelect
            label={t.events}
            testId="compare-events"
            value={settings.events}
            options={[1, 3, 5, 10]}
            onChange={(value) => change({ events: value })}
            disabled={running}
          />
          <NumberSelect
            label={t.idle}
            testId="compare-idle"
            value={settings.idleSeconds}
            options={[2, 10, 30, 60]}
            onChange={(value) => change({ idleSeconds: value })}
            disabled={running}
            unit={t.seconds}
          />
        </>
      )}
    </fieldset>
  );
}
