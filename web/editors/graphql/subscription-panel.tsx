import type { OperationResult } from '@urql/core';
import { useLang, useStrings } from '../../kit/lang-context.ts';
import { useCaptures } from '../../inspector/capture-store.ts';
import type { Selection } from '../../inspector/exchange-sections.ts';
import { graphqlEditorStrings } from './strings.ts';
import { viewOfResult } from './result-view.ts';

export interface SubscriptionEvent {
  /** ms epoch, browser clock */
  at: number;
  result: OperationResult;
}

interface SubscriptionPanelProps {
  state: { status: 'idle' | 'active' | 'ended'; startedAt: number; events: SubscriptionEvent[] };
  onInspect?(selection: Selection): void;
}

export function SubscriptionPanel({ state, onInspect }: SubscriptionPanelProps) {
  const t = useStrings(graphqlEditorStrings);
  const lang = useLang();
  const snapshot = useCaptures();
  // The newest graphql-ws message of this page: the socket our subscription runs on.
  const newest = [...(snapshot.messages ?? [])].reverse().find((message) => message.layer === 'graphql-ws');
  const note = state.status === 'idle' ? t.subscriptionIdle : state.status === 'active' ? t.subscriptionActive : t.subscriptionEnded;
  return (
    <section className="graphql-subscription" aria-live="polite" data-testid="graphql-subscription" data-status={state.status}>
      <header className="graphql-result-summary">
        <span className="graphql-result-meta">{note}</span>
        <span className="toolbar-spacer" />
        {state.events.length > 0 && <span className="graphql-result-meta">{t.subscriptionEvents(state.events.length)}</span>}
        {newest && onInspect && state.status !== 'idle' && (
          <button type="button" className="link-button" onClick={() => onInspect({ conn: newest.conn, message: newest.index })}>
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
