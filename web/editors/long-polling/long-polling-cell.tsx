import { useEffect, useMemo, useRef, useState } from 'react';
import { ResetDraftButton } from '../reset-draft-button.tsx';
import { AsCodeButton } from '../../as-code/as-code-button.tsx';
import { longPollSpecOf } from '../../as-code/cell-spec.ts';
import { useSavedDraft } from '../saved-cell-state.ts';
import { useLang, useStrings } from '../../app/lang-context.ts';
import { captureTimeNow, sessionReady } from '../../app/session.ts';
import { getCaptureStore, type InspectedExchange } from '../../inspector/capture-store.ts';
import type { CellProps } from '../../lessons/cell-props.ts';
import { claimNextExchange } from '../console-kit/capture-links.ts';
import { BadCellConfig } from '../console-kit/console-log.tsx';
import '../console-kit/console-kit.css';
import { longPollDraftOf, parseLongPollCell, type LongPollCellConfig } from './poll-cell-config.ts';
import { pollTarget, readPollAnswer, type PollAnswer } from './poll-answer.ts';
import { longPollConsoleStrings } from './strings.ts';

/** Polls the timeline keeps; older ones are dropped. */
export const MAX_TIMELINE_POLLS = 200;
/** How long the captured exchange of a finished poll may take to arrive through the capture channel. */
const EXCHANGE_WAIT_MS = 5000;

interface Poll {
  number: number;
  since: string;
  /** ms epoch, browser clock */
  sentAt: number;
  /** from sending to the whole answer, as the page measured it */
  heldMs?: number;
  /** from the request's last byte to the response's first byte, as captured on the wire */
  wireHeldMs?: number;
  outcome?: PollAnswer | { kind: 'dropped' } | { kind: 'stopped' } | { kind: 'failed'; message: string };
  /** undefined: still looking; null: not captured */
  exchange?: InspectedExchange | null;
}

export function LongPollCell({ cellId, initialText, saveKey, onExchange, onInspect }: CellProps) {
  const parsed = useMemo(() => parseLongPollCell(initialText), [initialText]);
  if (!parsed.ok) return <BadCellConfig problems={parsed.problems} />;
  return <LongPollConsole cellId={cellId} config={parsed.config} saveKey={saveKey} onExchange={onExchange} onInspect={onInspect} />;
}

function LongPollConsole({ cellId, config, saveKey, onExchange }: { cellId: string; config: LongPollCellConfig } & Pick<CellProps, 'saveKey' | 'onExchange' | 'onInspect'>) {
  const t = useStrings(longPollConsoleStrings);
  const lang = useLang();
  const original = useMemo(() => longPollDraftOf(config), [config]);
  const { draft, edit, reset, changed } = useSavedDraft(saveKey, original);
  const { url, hold } = draft;
  const setUrl = (value: string) => edit({ url: value });
  const setHold = (value: string) => edit({ hold: value });
  // the field shows the loop's cursor as it moves on; only what the student types is saved
  const [since, setSince] = useState(draft.since);
  const typeSince = (value: string) => {
    setSince(value);
    edit({ since: value });
  };
  const resetDraft = () => {
    reset();
    setSince(original.since);
  };
  const [running, setRunning] = useState(false);
  const [polls, setPolls] = useState<Poll[]>([]);
  const [trimmed, setTrimmed] = useState(0);
  const loop = useRef<{ stop: boolean; current: AbortController | null; dropped: boolean } | null>(null);
  const numbers = useRef(0);

  useEffect(
    () => () => {
      if (loop.current) {
        loop.current.stop = true;
        loop.current.current?.abort();
      }
    },
    [],
  );

  const updatePoll = (number: number, change: Partial<Poll>) => setPolls((current) => current.map((poll) => (poll.number === number ? { ...poll, ...change } : poll)));

  const addPoll = (poll: Poll) =>
    setPolls((current) => {
      const next = [...current, poll];
      if (next.length <= MAX_TIMELINE_POLLS) return next;
      setTrimmed((count) => count + next.length - MAX_TIMELINE_POLLS);
      return next.slice(next.length - MAX_TIMELINE_POLLS);
    });

  const start = async () => {
    if (loop.current) return;
    const state = { stop: false, current: null as AbortController | null, dropped: false };
    loop.current = state;
    setRunning(true);
    await sessionReady();
    let cursor = since.trim() || '0';
    while (!state.stop) {
      const number = ++numbers.current;
      const target = pollTarget(url, cursor, hold);
      const controller = new AbortController();
      state.current = controller;
      state.dropped = false;
      const after = captureTimeNow();
      const sentAt = Date.now();
      addPoll({ number, since: cursor, sentAt });
      let answer: PollAnswer | null = null;
      try {
        const response = await fetch(target, { cache: 'no-store', credentials: 'same-origin', signal: controller.signal, headers: { Accept: 'application/json' } });
        const body = await response.text();
        answer = readPollAnswer(response.status, body, cursor);
        updatePoll(number, { heldMs: Date.now() - sentAt, outcome: answer });
      } catch (error) {
        const outcome = state.dropped ? { kind: 'dropped' as const } : state.stop ? { kind: 'stopped' as const } : { kind: 'failed' as const, message: error instanceof Error ? error.message : String(error) };
        updatePoll(number, { heldMs: Date.now() - sentAt, outcome });
        if (outcome.kind === 'failed') state.stop = true;
      }
      if (answer) {
        // The bytes of a finished poll: the hold as it was on the wire, and the inspector's focus.
        void claimNextExchange(getCaptureStore(), { method: 'GET', target, after, accept: (candidate) => candidate.response?.complete === true }, EXCHANGE_WAIT_MS).then((found) => {
          updatePoll(number, { exchange: found, ...(found?.response ? { wireHeldMs: Math.max(0, Math.round(found.response.firstByteAt - found.request.lastByteAt)) } : {}) });
          if (found) onExchange?.(found);
        });
        if (answer.kind === 'error') state.stop = true;
        else {
          cursor = answer.next;
          setSince(cursor);
        }
      } else {
        // A dropped poll has a request and no answer: its bytes show the request that waited.
        void claimNextExchange(getCaptureStore(), { method: 'GET', target, after }, EXCHANGE_WAIT_MS).then((found) => updatePoll(number, { exchange: found }));
      }
    }
    loop.current = null;
    setRunning(false);
  };

  const stop = () => {
    if (!loop.current) return;
    loop.current.stop = true;
    loop.current.current?.abort();
  };

  const drop = () => {
    if (!loop.current?.current) return;
    loop.current.dropped = true;
    loop.current.current.abort();
  };

  const first = polls[0]?.sentAt;
  return (
    <section className="rt-console" data-testid="cell" data-cell-id={cellId} data-kind="long-polling" aria-label={t.consoleLabel(cellId)} lang={lang}>
      <div className="rt-row rt-toolbar">
        <label className="rt-field rt-input-wide">
          {t.url}
          <input className="rt-input rt-input-wide" value={url} onChange={(event) => setUrl(event.target.value)} disabled={running} data-testid="poll-url" spellCheck={false} />
        </label>
        <label className="rt-field" title={t.sinceHint}>
          {t.since}
          <input className="rt-input rt-input-narrow" value={since} onChange={(event) => typeSince(event.target.value)} disabled={running} data-testid="poll-since" spellCheck={false} />
        </label>
        <label className="rt-field" title={t.holdHint}>
          {t.hold}
          <input className="rt-input rt-input-narrow" value={hold} onChange={(event) => setHold(event.target.value)} disabled={running} data-testid="poll-hold" inputMode="numeric" placeholder={t.holdDefault} />
        </label>
        {running ? (
          <button type="button" className="button" onClick={stop} data-testid="poll-stop">
            {t.stop}
          </button>
        ) : (
          <button type="button" className="button button-primary" onClick={start} data-testid="poll-start">
            {t.start}
          </button>
        )}
        <button type="button" className="button" onClick={drop} disabled={!running} title={t.dropHint} data-testid="poll-drop">
          {t.drop}
        </button>
        <span className="rt-state" data-testid="poll-state" data-state={running ? 'running' : 'idle'}>
          {t.state[running ? 'running' : 'idle']}
        </span>
        <span className="toolbar-spacer" />
        <AsCodeButton spec={() => longPollSpecOf(url, since, hold)} />
        <ResetDraftButton changed={changed || since !== original.since} onReset={resetDraft} disabled={running} />
      </div>
      {trimmed > 0 && <p className="rt-log-note">{t.trimmed(trimmed)}</p>}
      <div className="rt-table-wrap">
        <table className="rt-table" aria-label={t.timeline} data-testid="poll-timeline">
          <thead>
            <tr>
              <th>{t.number}</th>
              <th>{t.since}</th>
              <th>{t.sent}</th>
              <th>{t.held}</th>
              <th>{t.answer}</th>
              <th>{t.next}</th>
              <th>{t.bytes}</th>
            </tr>
          </thead>
          <tbody>
            {polls.map((poll) => (
              <tr key={poll.number} data-testid="poll-row" data-outcome={poll.outcome?.kind ?? 'waiting'} data-status={statusOf(poll)}>
                <td>{poll.number}</td>
                <td>{poll.since}</td>
                <td>{t.sinceStart(((poll.sentAt - (first ?? poll.sentAt)) / 1000).toFixed(1))}</td>
                <td data-testid="poll-held" title={t.heldHint}>
                  {poll.wireHeldMs !== undefined ? t.ms(poll.wireHeldMs) : poll.heldMs === undefined ? t.waiting : `≈ ${t.ms(poll.heldMs)}`}
                </td>
                <td>{describeOutcome(poll, t)}</td>
                <td>{poll.outcome && 'next' in poll.outcome ? poll.outcome.next : ''}</td>
                <td>
                  {poll.exchange ? (
                    <button type="button" className="link-button" onClick={() => onExchange?.(poll.exchange!)} title={t.showExchangeHint} data-testid="rt-log-link">
                      {t.showExchange}
                    </button>
                  ) : poll.exchange === null ? (
                    t.notCaptured
                  ) : (
                    ''
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function statusOf(poll: Poll): string {
  const outcome = poll.outcome;
  if (!outcome) return '';
  if (outcome.kind === 'events') return '200';
  if (outcome.kind === 'timeout') return '204';
  if (outcome.kind === 'error') return String(outcome.status);
  return '';
}

function describeOutcome(poll: Poll, t: (typeof longPollConsoleStrings)['en']): string {
  const outcome = poll.outcome;
  if (!outcome) return t.waiting;
  switch (outcome.kind) {
    case 'events':
      return `200 · ${t.eventsAnswer(outcome.count, outcome.types)}${outcome.more ? ` · ${t.more}` : ''}${outcome.gap ? ` · ${t.gap}` : ''}`;
    case 'timeout':
      return `204 · ${t.timeoutAnswer}`;
    case 'error':
      return t.errorAnswer(outcome.status, outcome.detail);
    case 'dropped':
      return t.dropped;
    case 'stopped':
      return t.stopped;
    case 'failed':
      return t.failed(outcome.message);
  }
}
