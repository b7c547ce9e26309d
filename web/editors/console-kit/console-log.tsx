import { useCallback, useEffect, useRef, useState } from 'react';
import { useLang, useStrings, type Lang } from '../../kit/lang-context.ts';
import type { Selection } from '../../inspector/exchange-sections.ts';
import { consoleLogStrings } from './strings.ts';

/**
 * A console line in both languages: written once, when the event happens, and shown in the
 * language of the moment (a line kept in one language would stay English after a switch).
 * A plain string is protocol text, the same in both (an event name, a payload).
 */
export type ConsoleText = string | Readonly<Record<Lang, string>>;

/** A line from a strings dictionary, rendered in both languages at once. */
export function inBothLanguages<T>(dict: { en: T; ru: T }, render: (t: T, lang: Lang) => string): Record<Lang, string> {
  return { en: render(dict.en, 'en'), ru: render(dict.ru, 'ru') };
}

/**
 * A console's `say`: `say((t) => t.opened(code))` is that line in both languages, from the
 * console's own strings dictionary (`lang` for text that needs more than the dictionary).
 */
export function bilingual<T>(dict: { en: T; ru: T }) {
  return (render: (t: T, lang: Lang) => string): Record<Lang, string> => inBothLanguages(dict, render);
}

export function textIn(text: ConsoleText, lang: Lang): string {
  return typeof text === 'string' ? text : text[lang];
}

/** Entries a console's log keeps; older ones are dropped (a long session must not grow the page without bound). */
export const MAX_LOG_ENTRIES = 500;

export interface LogEntry {
  id: number;
  /** ms epoch (the browser's clock) */
  at: number;
  kind: 'sent' | 'received' | 'info' | 'error';
  /** short tag before the text: "text", "binary", "event", "ack", "poll"… */
  badge?: ConsoleText;
  text: ConsoleText;
  /** a second line: a JSON payload, field values */
  detail?: string;
  /** finds what to show in the inspector for this entry (null: not captured) */
  inspect?: () => Promise<Selection | null>;
  inspectLabel?: ConsoleText;
  /** any extra attributes for tests: data-* */
  data?: Record<string, string>;
}

export type NewLogEntry = Omit<LogEntry, 'id' | 'at'>;

/** A bounded log: `add` returns the entry's id so a console can update it later. */
export function useConsoleLog() {
  const [entries, setEntries] = useState<LogEntry[]>([]);
  const [trimmed, setTrimmed] = useState(0);
  const nextId = useRef(1);
  const add = useCallback((entry: NewLogEntry): number => {
    const id = nextId.current++;
    setEntries((current) => {
      const next = [...current, { ...entry, id, at: Date.now() }];
      if (next.length <= MAX_LOG_ENTRIES) return next;
      setTrimmed((count) => count + next.length - MAX_LOG_ENTRIES);
      return next.slice(next.length - MAX_LOG_ENTRIES);
    });
    return id;
  }, []);
  const update = useCallback((id: number, change: Partial<NewLogEntry>) => {
    setEntries((current) => current.map((entry) => (entry.id === id ? { ...entry, ...change } : entry)));
  }, []);
  const clear = useCallback(() => {
    setEntries([]);
    setTrimmed(0);
  }, []);
  return { entries, trimmed, add, update, clear };
}

/**
 * The log keeps to the newest entry unless the reader scrolled up to an older one, and holds still
 * while a press is down in it: a row that slid up as a line arrived between a click's press and
 * its release lost the click (its "bytes" button), as a moving Run button did. It catches up once
 * the press is released, after the click. Not held while the pointer merely rests on it: a log
 * that stopped following then looked stalled. Spread on the element that scrolls.
 */
export function useFollowNewest(lastId: number | undefined) {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const pressed = useRef(false);
  const toNewest = () => {
    const scroller = scrollerRef.current;
    if (scroller && stick.current && !pressed.current) scroller.scrollTop = scroller.scrollHeight;
  };
  useEffect(toNewest, [lastId]);
  return {
    ref: scrollerRef,
    onScroll: () => {
      const scroller = scrollerRef.current;
      if (scroller) stick.current = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 24;
    },
    onPointerDown: () => {
      pressed.current = true;
      // released wherever it ends (the pointer may leave the log first); the catch-up waits a task,
      // so the click that follows the release still finds its row where it was
      const release = () => {
        window.removeEventListener('pointerup', release, true);
        window.removeEventListener('pointercancel', release, true);
        setTimeout(() => {
          pressed.current = false;
          toNewest();
        });
      };
      window.addEventListener('pointerup', release, true);
      window.addEventListener('pointercancel', release, true);
    },
  };
}

export function ConsoleLog({
  entries,
  trimmed,
  onClear,
  onInspect,
}: {
  entries: LogEntry[];
  trimmed: number;
  onClear(): void;
  onInspect?: ((selection: Selection) => void) | undefined;
}) {
  const t = useStrings(consoleLogStrings);
  const lang = useLang();
  const follow = useFollowNewest(entries[entries.length - 1]?.id);
  const first = entries[0]?.at;
  return (
    // a group, not a landmark: a lesson has several consoles, each with its log
    <div role="group" className="rt-log" aria-label={t.log} data-testid="rt-log">
      <header className="rt-log-header">
        <span className="rt-log-title">{t.log}</span>
        {trimmed > 0 && <span className="rt-log-note">{t.trimmed(trimmed)}</span>}
        <span className="toolbar-spacer" />
        <button type="button" className="button button-quiet rt-small" onClick={onClear} disabled={entries.length === 0}>
          {t.clear}
        </button>
      </header>
      {/* the log's height is its own from the start, whatever arrives: a log that grew with each
          line moved everything under it, a Run button too, between a click's press and release */}
      <div className="rt-log-body" data-testid="rt-log-body" {...follow}>
        {entries.length === 0 ? (
          <p className="rt-log-empty">{t.empty}</p>
        ) : (
          <ol className="rt-log-list" aria-live="polite">
            {entries.map((entry) => (
              <li key={entry.id} className={`rt-log-entry rt-${entry.kind}`} data-testid="rt-log-entry" data-kind={entry.kind} {...dataAttributes(entry.data)}>
                <span className="rt-log-time">{t.sinceStart(((entry.at - (first ?? entry.at)) / 1000).toFixed(3))}</span>
                <span className="rt-log-arrow" aria-label={entry.kind === 'sent' ? t.sent : entry.kind === 'received' ? t.received : undefined}>
                  {entry.kind === 'sent' ? '→' : entry.kind === 'received' ? '←' : entry.kind === 'error' ? '!' : '·'}
                </span>
                {entry.badge && <span className="rt-log-badge">{textIn(entry.badge, lang)}</span>}
                <span className="rt-log-text">{textIn(entry.text, lang)}</span>
                {entry.inspect && onInspect && (
                  <InspectButton inspect={entry.inspect} label={entry.inspectLabel ? textIn(entry.inspectLabel, lang) : t.showFrame} onInspect={onInspect} />
                )}
                {entry.detail !== undefined && <pre className="rt-log-detail">{entry.detail}</pre>}
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}

function dataAttributes(data: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(data ?? {}).map(([name, value]) => [`data-${name}`, value]));
}

function InspectButton({ inspect, label, onInspect }: { inspect: () => Promise<Selection | null>; label: string; onInspect(selection: Selection): void }) {
  const t = useStrings(consoleLogStrings);
  const [state, setState] = useState<'idle' | 'looking' | 'missing'>('idle');
  const click = async () => {
    setState('looking');
    const selection = await inspect();
    if (selection) {
      setState('idle');
      onInspect(selection);
    } else setState('missing');
  };
  return (
    <button
      type="button"
      className="link-button rt-log-link"
      data-testid="rt-log-link"
      onClick={click}
      disabled={state === 'looking'}
      title={state === 'missing' ? t.frameNotFoundHint : t.showFrameHint}
    >
      {state === 'looking' ? t.lookingForFrame : state === 'missing' ? t.frameNotFound : label}
    </button>
  );
}

/** Shown instead of a console when its cell file does not parse (the format test should have caught it). */
export function BadCellConfig({ problems }: { problems: string[] }) {
  const t = useStrings(consoleLogStrings);
  return (
    <div className="cell-message cell-message-error" role="alert">
      <p>{t.badConfig}</p>
      <ul>
        {problems.map((problem, index) => (
          <li key={index}>{problem}</li>
        ))}
      </ul>
    </div>
  );
}
