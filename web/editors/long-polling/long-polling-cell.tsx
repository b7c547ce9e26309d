import { useMemo, useState } from 'react';
import { longPollSpecOf } from '../as-code/cell-spec.ts';
import { useStrings } from '../../kit/lang-context.ts';
import type { InspectedExchange } from '../../inspector/capture-store.ts';
import { TextField } from '../console-kit/console-fields.tsx';
import { consoleCell, type ConsoleProps } from '../console-kit/console-cell.tsx';
import { ConnectButton, ConsoleShell, ConsoleToolbar, StateBadge } from '../console-kit/console-shell.tsx';
import { useFollowNewest } from '../console-kit/console-log.tsx';
import { useConsoleDraft } from '../console-kit/use-console-draft.ts';
import { longPollDraftOf, parseLongPollCell, type LongPollCellConfig } from './poll-cell-config.ts';
import { longPollConsoleStrings } from './strings.ts';
import type { Poll } from './poll-timeline.ts';
import { usePollLoop } from './use-poll-loop.ts';
import { WirelabOnlyNote } from '../target-switch/target-switch.tsx';

type Strings = (typeof longPollConsoleStrings)['en'];

export const LongPollCell = consoleCell(parseLongPollCell, LongPollConsole);

function LongPollConsole({ cellId, config, saveKey, onExchange }: ConsoleProps<LongPollCellConfig>) {
  const t = useStrings(longPollConsoleStrings);
  const original = useMemo(() => longPollDraftOf(config), [config]);
  const draft = useConsoleDraft(saveKey, original);
  const { url, hold } = draft.draft;
  // the field shows the loop's cursor as it moves on; only what the student types is saved
  const [since, setSince] = useState(draft.draft.since);
  const typeSince = (value: string) => {
    setSince(value);
    draft.edit({ since: value });
  };
  const resetDraft = () => {
    draft.reset();
    setSince(original.since);
  };
  const loop = usePollLoop(onExchange, setSince);
  const { running } = loop;

  return (
    <ConsoleShell cellId={cellId} kind="long-polling" label={t.consoleLabel(cellId)}>
      <ConsoleToolbar
        asCode={() => longPollSpecOf(url, since, hold)}
        reset={{ changed: draft.changed || since !== original.since, onReset: resetDraft, disabled: running }}
      >
        <TextField label={t.url} value={url} onChange={draft.field('url')} disabled={running} testId="poll-url" width="wide" />
        <TextField label={t.since} title={t.sinceHint} value={since} onChange={typeSince} disabled={running} testId="poll-since" width="narrow" />
        <TextField
          label={t.hold}
          title={t.holdHint}
          value={hold}
          onChange={draft.field('hold')}
          disabled={running}
          testId="poll-hold"
          width="narrow"
          input={{ inputMode: 'numeric', placeholder: t.holdDefault, spellCheck: undefined }}
        />
        <ConnectButton
          live={running}
          onConnect={() => void loop.start(url, since, hold)}
          onDisconnect={loop.stop}
          labels={{ connect: t.start, disconnect: t.stop }}
          testIds={{ connect: 'poll-start', disconnect: 'poll-stop' }}
        />
        <button type="button" className="button" onClick={loop.drop} disabled={!running} title={t.dropHint} data-testid="poll-drop">
          {t.drop}
        </button>
        <StateBadge state={running ? 'running' : 'idle'} label={t.state[running ? 'running' : 'idle']} labels={Object.values(t.state)} testId="poll-state" />
      </ConsoleToolbar>
      <WirelabOnlyNote what={{ en: 'the long-polling console', ru: 'консоль долгого опроса' }} />
      <PollTimeline polls={loop.polls} trimmed={loop.trimmed} onExchange={onExchange} />
    </ConsoleShell>
  );
}

/** The polls as a table: since, when sent, how long held (on the wire once captured), the answer, the next since, its bytes. */
function PollTimeline({ polls, trimmed, onExchange }: { polls: Poll[]; trimmed: number; onExchange: ((exchange: InspectedExchange) => void) | undefined }) {
  const t = useStrings(longPollConsoleStrings);
  const first = polls[0]?.sentAt;
  const follow = useFollowNewest(polls[polls.length - 1]?.number);
  return (
    // scrolls sideways on a phone, so the keyboard must reach it (axe scrollable-region-focusable);
    // its height is set (console-kit.css): a poll's row, or the note, moves nothing under the
    // console, and it follows the newest poll as the console's log does
    <div className="rt-table-wrap" role="region" aria-label={t.timeline} tabIndex={0} {...follow}>
      {trimmed > 0 && <p className="rt-log-note">{t.trimmed(trimmed)}</p>}
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
                <ExchangeCell exchange={poll.exchange} lookAgain={poll.lookAgain} onExchange={onExchange} t={t} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A poll's bytes: "show" once its exchange is found; after a miss, "not captured" looks again at a
 * click (its bytes may come late through the capture channel), and shows them when they came.
 */
function ExchangeCell({
  exchange,
  lookAgain,
  onExchange,
  t,
}: {
  exchange: InspectedExchange | null | undefined;
  lookAgain: Poll['lookAgain'];
  onExchange: ((exchange: InspectedExchange) => void) | undefined;
  t: Strings;
}) {
  const [looking, setLooking] = useState(false);
  if (exchange === undefined) return null;
  if (exchange === null) {
    if (!lookAgain) return <>{t.notCaptured}</>;
    const look = async () => {
      setLooking(true);
      const found = await lookAgain();
      setLooking(false);
      if (found) onExchange?.(found);
    };
    return (
      <button type="button" className="link-button" onClick={look} disabled={looking} title={t.lookAgainHint} data-testid="rt-log-link">
        {looking ? t.looking : t.notCaptured}
      </button>
    );
  }
  return (
    <button type="button" className="link-button" onClick={() => onExchange?.(exchange)} title={t.showExchangeHint} data-testid="rt-log-link">
      {t.showExchange}
    </button>
  );
}

function statusOf(poll: Poll): string {
  const outcome = poll.outcome;
  if (!outcome) return '';
  if (outcome.kind === 'events') return '200';
  if (outcome.kind === 'timeout') return '204';
  if (outcome.kind === 'error') return String(outcome.status);
  if (outcome.kind === 'server-away') return '503';
  return '';
}

function describeOutcome(poll: Poll, t: Strings): string {
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
    case 'server-away':
      return t.serverAway(outcome.retryAfterMs / 1000);
    case 'lost':
      return t.lost(outcome.retryMs / 1000, outcome.message);
    case 'not-back':
      return t.notBack(outcome.retryMs / 1000, outcome.message);
  }
}
