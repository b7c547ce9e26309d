import { useCallback, useEffect, useRef } from 'react';
import type { HttpExchange } from '../../../wire/types.ts';
import { useLang, useStrings } from '../../kit/lang-context.ts';
import { useSession } from '../../kit/session.ts';
import { parseHttpRequest } from './parse-http-request.ts';
import { CodeEditor } from './code-editor.tsx';
import { ResponsePanel } from './response-panel.tsx';
import { CopyCurlButton } from './copy-curl-button.tsx';
import { AsCodeButton } from '../as-code/as-code-button.tsx';
import { httpSpecOf } from '../as-code/http-spec.ts';
import { httpEditorStrings } from './strings.ts';
import { useSavedCellState } from '../saved-cell-state.ts';
import { useOwnTarget } from '../target-switch/own-target.ts';
import { useHttpRun, type RunOutcome } from './use-http-run.ts';
import { TargetSwitch } from '../target-switch/target-switch.tsx';
import './http-cell.css';

export interface EditorHandle {
  getValue(): string;
  setValue(value: string): void;
}

declare global {
  interface Window {
    /** for end-to-end tests: typing into Monaco races with its auto-closing brackets */
    __wirelabEditors?: Map<string, EditorHandle>;
  }
}

interface HttpCellProps {
  cellId: string;
  initialText: string;
  saveKey?: string;
  /** called with the captured exchange of each run, to focus the inspector on it */
  onExchange?(exchange: HttpExchange): void;
}

export function HttpCell({ cellId, initialText, saveKey, onExchange }: HttpCellProps) {
  const t = useStrings(httpEditorStrings);
  const lang = useLang();
  const session = useSession();
  const [text, setText] = useSavedCellState(saveKey, initialText);
  const textRef = useRef(text);
  textRef.current = text;
  const target = useOwnTarget();
  const targetRef = useRef(target);
  targetRef.current = target;
  const { running, outcome, run } = useHttpRun(textRef, targetRef, onExchange);

  useEffect(() => {
    const editors = (window.__wirelabEditors ??= new Map());
    editors.set(cellId, {
      getValue: () => textRef.current,
      setValue: (value: string) => {
        textRef.current = value;
        setText(value);
      },
    });
    return () => {
      editors.delete(cellId);
    };
  }, [cellId]);

  const describeError = useCallback(
    (source: string) => {
      const parsed = parseHttpRequest(source);
      return parsed.ok || parsed.error.code === 'empty' ? null : { line: parsed.error.line, message: t.parseError(parsed.error) };
    },
    [t],
  );

  const parsedForCurl = parseHttpRequest(text);
  return (
    <section className="http-cell" data-testid="cell" data-cell-id={cellId} aria-label={t.editorLabel(cellId)} lang={lang}>
      <div className="http-cell-editor">
        <CodeEditor value={text} onChange={setText} onRun={run} label={t.editorLabel(cellId)} describeError={describeError} />
      </div>
      <div className="http-cell-toolbar">
        <RunButton running={running} onRun={run} />
        <span className="http-cell-shortcut" aria-hidden="true">
          {t.runHint}
        </span>
        <TargetSwitch />
        <span className="toolbar-spacer" />
        {session.status === 'loading' && <span className="http-cell-waiting">{t.waitingForSession}</span>}
        {parsedForCurl.ok && session.status === 'ready' && <CopyCurlButton request={parsedForCurl.request} />}
        <AsCodeButton
          spec={() => {
            const parsed = parseHttpRequest(textRef.current);
            return parsed.ok ? httpSpecOf(parsed.request) : null;
          }}
        />
        <button type="button" className="button button-quiet" onClick={() => setText(initialText)} disabled={text === initialText} title={t.resetHint}>
          {t.reset}
        </button>
      </div>
      {outcome && <RunResult outcome={outcome} onShowExchange={onExchange} />}
    </section>
  );
}

/** Run (Ctrl+Enter), "Running…" while the request is out. */
function RunButton({ running, onRun }: { running: boolean; onRun(): void }) {
  const t = useStrings(httpEditorStrings);
  return (
    <button
      type="button"
      className="button button-primary"
      data-testid="cell-run"
      // not `disabled` while it runs: a disabled button drops the keyboard's focus to the page
      onClick={running ? undefined : onRun}
      aria-disabled={running}
      aria-keyshortcuts="Control+Enter Meta+Enter"
      title={t.runHint}
    >
      <span aria-hidden="true">▶</span> {running ? t.running : t.run}
    </button>
  );
}

function RunResult({ outcome, onShowExchange }: { outcome: RunOutcome; onShowExchange?(exchange: HttpExchange): void }) {
  const t = useStrings(httpEditorStrings);
  switch (outcome.kind) {
    case 'parse-error':
      return (
        <p className="cell-message cell-message-error" role="alert">
          {t.parseError(outcome.error)}
        </p>
      );
    case 'blocked':
      return (
        <p className="cell-message cell-message-error" role="alert">
          {t.blocker(outcome.blocker)}
        </p>
      );
    case 'network-error':
      return (
        <>
          <DroppedHeaders names={outcome.dropped} />
          <p className="cell-message cell-message-error" role="alert">
            {t.networkError(outcome.message)}
          </p>
        </>
      );
    case 'refused':
      return <Refused outcome={outcome} />;
    case 'response':
      return (
        <>
          <DroppedHeaders names={outcome.dropped} />
          {outcome.sentTo !== undefined && (
            <p className="cell-message" role="note" data-testid="http-sent-to-mine">
              {t.sentToMine(outcome.sentTo)}
            </p>
          )}
          <ResponsePanel response={outcome.response} capture={outcome.capture} lookAgain={outcome.lookAgain} onShowExchange={onShowExchange} />
        </>
      );
  }
}

function DroppedHeaders({ names }: { names: string[] }) {
  const t = useStrings(httpEditorStrings);
  if (names.length === 0) return null;
  return (
    <p className="cell-message cell-message-warning" role="note">
      {t.dropped(names)}
    </p>
  );
}

function Refused({ outcome }: { outcome: Extract<RunOutcome, { kind: 'refused' }> }) {
  const t = useStrings(httpEditorStrings);
  const lang = useLang();
  return (
    <>
      <DroppedHeaders names={outcome.dropped} />
      <p className="cell-message cell-message-error" role="alert" data-testid="http-refused" data-status={outcome.status}>
        {outcome.message ? t.refusedByWirelab(outcome.message[lang]) : t.refusedStatus(outcome.status)}
      </p>
    </>
  );
}
