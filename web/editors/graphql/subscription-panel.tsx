import type { OperationResult } from '@urql/core';
import type { Bilingual } from '../../../shared/bilingual.ts';
import { useLang, useStrings } from '../../kit/lang-context.ts';
import { useCaptures } from '../../inspector/capture-store.ts';
import { messageSelection, type Selection } from '../../inspector/exchange-sections.ts';
import { graphqlEditorStrings } from './strings.ts';
import { viewOfResult } from './result-view.ts';

export interface SubscriptionEvent {
  /** ms epoch, browser clock */
  at: number;
  result: OperationResult;
}

interface SubscriptionPanelProps {
  state: {
    status: 'idle' | 'active' | 'restarting' | 'ended';
    startedAt: number;
    events: SubscriptionEvent[];
    /** the close that said the server went away, worded in both languages */
    serverAway?: Bilingual;
    /** times subscribed again after the server came back */
    resumed?: number;
  };
  onInspect?(selection: Selection): void;
}

type PanelStrings = (typeof graphqlEditorStrings)['en'];

/** The panel's one line on where the subscription stands. */
function statusNote(state: SubscriptionPanelProps['state'], t: PanelStrings, lang: 'en' | 'ru'): string {
  if (state.status === 'idle') return t.subscriptionIdle;
  if (state.status === 'restarting') return t.subscriptionRestarting(state.serverAway?.[lang] ?? '1001');
  if (state.status === 'ended') return state.serverAway ? t.subscriptionServerAway(state.serverAway[lang]) : t.subscriptionEnded;
  return state.resumed ? t.subscriptionResumed : t.subscriptionActive;
}

export function SubscriptionPanel({ state, onInspect }: SubscriptionPanelProps) {
  const t = useStrings(graphqlEditorStrings);
  const lang = useLang();
  const snapshot = useCaptures();
  // The newest graphql-ws message of this page: the socket our subscription runs on.
  const newest = [...(snapshot.messages ?? [])].reverse().find((message) => message.layer === 'graphql-ws');
  const note = statusNote(state, t, lang);
  return (
    <section
      className="graphql-subscription"
      aria-live="polite"
      data-testid="graphql-subscription"
      data-status={state.status}
      data-resumed={state.resumed ?? 0}
      data-server-away={state.serverAway ? 'true' : undefined}
    >
      <header className="graphql-result-summary">
        <span className="graphql-result-meta" data-testid="graphql-subscription-note">
          {note}
        </span>
        <span className="toolbar-spacer" />
        {state.events.length > 0 && <span className="graphql-result-meta">{t.subscriptionEvents(state.events.length)}</span>}
        {newest && onInspect && state.status !== 'idle' && (
          <button type="button" className="link-button" onClick={() => onInspect(messageSelection(newest))}>
            {t.showSocket}
          </button>
        )}
      </header>
      <ol className="graphql-events">
        {[...state.events].reverse().map((event, index) => {
          const view = viewOfResult(
            {
              data: event.result.data ?? null,
              ...(event.result.error
                ? { errors: event.result.error.graphQLErrors.map((error) => ({ message: error.message, extensions: error.extensions })) }
                : {}),
            },
            lang,
          );
          return (
            <li key={state.events.length - index} data-testid="graphql-event">
              <span className="graphql-event-time">{t.eventAt(new Date(event.at).toLocaleTimeString(lang === 'ru' ? 'ru-RU' : 'en-GB'))}</span>
              {view.errors.map((error, errorIndex) => (
                <p key={errorIndex} className="graphql-error-message">
                  {error.message}
                </p>
              ))}
              {event.result.error?.networkError && <p className="graphql-error-message">{event.result.error.networkError.message}</p>}
              <pre>{JSON.stringify(view.data, null, 2)}</pre>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
