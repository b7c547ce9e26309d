import { memo, useLayoutEffect, useRef } from 'react';
import { useLang, useStrings } from '../../kit/lang-context.ts';
import type { CallEvent, CallLog, HeaderPairs } from './call-log.ts';
import { detailHeadline, lessonSectionOf, type CallStatus } from './call-status.ts';
import { grpcEditorStrings } from './strings.ts';
import { serverTextIn } from '../server-text.ts';

/** A call as it happened: headers, each message the moment it arrived, then trailers and status. */
export function CallLogView({ log }: { log: CallLog }) {
  const t = useStrings(grpcEditorStrings);
  const list = useRef<HTMLOListElement>(null);
  const following = useRef(true);
  // The list scrolls on its own; it follows new events while the reader is at its end.
  useLayoutEffect(() => {
    const element = list.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  }, [log]);
  return (
    <div className="grpc-call-log" data-testid="grpc-call-log" aria-live="polite" data-done={log.done ? 'true' : 'false'}>
      {log.droppedMessages > 0 && <p className="cell-message">{t.droppedMessages(log.droppedMessages)}</p>}
      <ol
        className="grpc-events"
        ref={list}
        onScroll={(event) => {
          const element = event.currentTarget;
          following.current = element.scrollTop + element.clientHeight >= element.scrollHeight - 24;
        }}
      >
        {eventKeys(log.events).map(([key, event]) => (
          <EventRow key={key} event={event} />
        ))}
      </ol>
    </div>
  );
}

/**
 * Keys that stay with their event when the oldest messages are dropped: a message by its number,
 * anything else by how many of its kind came before (those are never dropped).
 */
function eventKeys(events: readonly CallEvent[]): Array<[string, CallEvent]> {
  const seen = new Map<string, number>();
  return events.map((event) => {
    if (event.kind === 'message' || event.kind === 'sent') return [`${event.kind}-${event.index}`, event];
    const count = seen.get(event.kind) ?? 0;
    seen.set(event.kind, count + 1);
    return [`${event.kind}-${count}`, event];
  });
}

/** Events never change once logged: a stream of thousands re-renders only its new rows. */
const EventRow = memo(function EventRow({ event }: { event: CallEvent }) {
  const t = useStrings(grpcEditorStrings);
  return (
    <li className={`grpc-event grpc-event-${event.kind}`} data-testid={`grpc-event-${event.kind}`}>
      <span className="grpc-event-time">
        +{event.at} {t.ms}
      </span>
      <EventBody event={event} />
    </li>
  );
});

function EventBody({ event }: { event: CallEvent }) {
  const t = useStrings(grpcEditorStrings);
  const lang = useLang();
  switch (event.kind) {
    case 'started':
      return <span>{t.started}</span>;
    case 'ended':
      return <span>{t.ended}</span>;
    case 'sent':
      return (
        <div>
          <strong>{t.sent(event.index)}</strong>
          {event.message !== undefined && <pre>{JSON.stringify(event.message, null, 2)}</pre>}
        </div>
      );
    case 'headers':
      return (
        <Headers
          title={event.trailersOnly ? t.trailersOnlyHeaders : t.headers}
          pairs={event.headers}
          testId={event.trailersOnly ? 'grpc-trailers-only-headers' : undefined}
        />
      );
    case 'message':
      return (
        <div data-testid="grpc-message">
          <strong>{t.message(event.index)}</strong>
          <pre>{JSON.stringify(event.message, null, 2)}</pre>
        </div>
      );
    case 'status': {
      const { status } = event;
      return (
        <div>
          <p className="grpc-status-line">
            {t.status}:{' '}
            <code className={status.code === 0 ? 'grpc-status grpc-status-ok' : 'grpc-status grpc-status-error'} data-testid="grpc-status">
              {status.code} {status.name}
            </code>
            {status.message && (
              <span className="grpc-status-message">
                {' '}
                — {status.message}
                {serverTextIn(status.message, lang) && <span data-testid="grpc-status-in-lang"> ({serverTextIn(status.message, lang)})</span>}
              </span>
            )}
          </p>
          {status.details.length > 0 && (
            <div className="grpc-details" data-testid="grpc-details">
              <strong>{t.details}</strong>
              <ul>
                {status.details.map((detail, index) => (
                  <li key={index}>
                    <details>
                      <summary>{detailHeadline(detail)}</summary>
                      <pre>{'json' in detail ? JSON.stringify(detail.json, null, 2) : detail.base64}</pre>
                    </details>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <ShutDownNote status={status} />
          <Headers title={event.trailersOnly ? t.trailersOnlyTrailers : t.trailers} pairs={event.trailers} testId="grpc-trailers" />
          {event.trailersOnly && (
            <p className="cell-message" data-testid="grpc-trailers-only-note">
              {t.trailersOnlyNote}
            </p>
          )}
        </div>
      );
    }
    case 'error':
      return (
        <p className="cell-message cell-message-error" role="alert">
          {typeof event.text === 'string' ? event.text : event.text[lang]}
        </p>
      );
  }
}

/** A call refused because the student's own graceful shutdown (lesson 4) still holds the server down. */
function ShutDownNote({ status }: { status: CallStatus }) {
  const t = useStrings(grpcEditorStrings);
  const lang = useLang();
  const target = lessonSectionOf(status);
  if (!target) return null;
  return (
    <p className="cell-message" data-testid="grpc-shutdown-note">
      {t.sandboxShutDown} <a href={`/${lang}/${target.lesson}#${target.section}`}>{t.sandboxShutDownLink}</a>
    </p>
  );
}

function Headers({ title, pairs, testId }: { title: string; pairs: HeaderPairs; testId?: string }) {
  const t = useStrings(grpcEditorStrings);
  return (
    <div className="grpc-headers" data-testid={testId}>
      <strong>{title}</strong>
      {pairs.length === 0 ? (
        <span className="grpc-none"> {t.noHeaders}</span>
      ) : (
        <dl>
          {pairs.map(([name, value], index) => (
            <div key={index} className="grpc-header-row">
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
