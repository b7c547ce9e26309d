import { useLang, useStrings } from '../../kit/lang-context.ts';
import type { HttpExchange } from '../../../wire/types.ts';
import { formatBody, formatBytes } from './format-body.ts';
import type { FetchedResponse } from './send-request.ts';
import { standardReason } from './status-text.ts';
import { httpEditorStrings } from './strings.ts';
import { problemTextIn } from '../server-text.ts';
import { LookAgainButton } from '../look-again-button.tsx';

interface ResponsePanelProps {
  response: FetchedResponse;
  capture: 'waiting' | 'missing' | HttpExchange;
  /** after a miss: a click looks for the bytes again */
  lookAgain?: () => Promise<HttpExchange | null>;
  onShowExchange?(exchange: HttpExchange): void;
}

export function ResponsePanel({ response, capture, lookAgain, onShowExchange }: ResponsePanelProps) {
  const t = useStrings(httpEditorStrings);
  const lang = useLang();
  const captured = typeof capture === 'object' ? capture.response : undefined;
  // A manual redirect hides status and headers from the page; the captured bytes still have them.
  const status = response.redirected ? (captured?.status ?? 0) : response.status;
  const reason = response.redirected ? (captured?.reason ?? '') : response.statusText || captured?.reason || standardReason(status);
  const headers = response.redirected && captured ? captured.headers : response.headers;
  const contentType = headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? null;
  const body = formatBody(contentType, response.body);
  const statusClass = status === 0 ? 'status-unknown' : `status-${Math.floor(status / 100)}xx`;
  const wireBytes = captured ? captured.range.end - captured.range.start : null;
  const problemInLang = body.problem && body.kind === 'json' ? problemTextIn(body.text, lang) : [];

  return (
    <section className={`response-panel ${body.problem ? 'is-problem' : ''}`} aria-label={t.response} aria-live="polite">
      <header className="response-summary">
        <span className={`response-status ${statusClass}`} data-testid="response-status">
          {status === 0 ? '3xx' : status} {reason}
        </span>
        <span className="response-meta">
          {t.time} {Math.round(response.durationMs)} {t.ms}
          <span aria-hidden="true"> · </span>
          {t.bodyBytes(formatBytes(response.body.length, lang))}
          {wireBytes !== null && (
            <>
              <span aria-hidden="true"> · </span>
              <span title={t.wireTitle}>{t.wireBytes(formatBytes(wireBytes, lang))}</span>
            </>
          )}
        </span>
        <span className="toolbar-spacer" />
        {typeof capture === 'object' && onShowExchange && (
          <button type="button" className="link-button" onClick={() => onShowExchange(capture)}>
            {t.captured}
          </button>
        )}
      </header>
      {response.redirected && <p className="cell-message cell-message-info">{t.redirectHidden}</p>}
      {capture === 'missing' && (
        <p className="cell-message cell-message-warning" data-testid="capture-missing">
          {t.notCaptured} {lookAgain && <LookAgainButton lookAgain={lookAgain} />}
        </p>
      )}
      <details className="response-headers" open>
        <summary>
          {t.headers} <span className="count">{headers.length}</span>
        </summary>
        <dl>
          {headers.map(([name, value], index) => (
            <div key={index} className="header-row">
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </details>
      {body.problem && <p className="problem-label">{t.problem}</p>}
      {problemInLang.length > 0 && (
        <ul className="problem-in-lang" data-testid="problem-in-lang">
          {problemInLang.map((line, index) => (
            <li key={index}>{line}</li>
          ))}
        </ul>
      )}
      <pre className={`response-body body-${body.kind}`} data-testid="response-body" tabIndex={0} aria-label={t.body}>
        {body.kind === 'empty' ? <span className="muted">{t.noBody}</span> : body.text}
      </pre>
    </section>
  );
}
