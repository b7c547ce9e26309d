import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DescMethod, JsonValue } from '@bufbuild/protobuf';
import type { HttpExchange } from '../../wire/types.ts';
import { useLang, useStrings } from '../../app/lang-context.ts';
import { captureTimeNow, sessionReady } from '../../app/session.ts';
import { getCaptureStore } from '../../inspector/capture-store.ts';
import type { CellProps } from '../../lessons/cell-props.ts';
import type { EditorHandle } from '../http/http-cell.tsx';
import { AsCodeButton } from '../../as-code/as-code-button.tsx';
import { grpcSpecOf } from '../../as-code/cell-spec.ts';
import { GRPC_MAX_TIMEOUT_MS, GRPC_PROTOCOLS, metadataToLines, parseGrpcCell, parseMetadataLines, type GrpcCellConfig, type GrpcProtocol } from './grpc-cell-config.ts';
import { allServices, browserCanCall, findMethod, grpcRegistry, methodPath } from './method-catalog.ts';
import { requestJsonSchema } from './request-json-schema.ts';
import { appendEvent, applyRunnerMessage, emptyLog, type CallEvent, type CallLog, type RunnerServerMessage } from './call-log.ts';
import { runBrowserCall } from './run-call.ts';
import { RunnerChannel, runnerUrl } from './runner-channel.ts';
import { JsonEditor } from './json-editor.tsx';
import { CallLogView } from './call-log-view.tsx';
import { grpcEditorStrings } from './strings.ts';
import { useSavedCellState } from '../saved-cell-state.ts';
import '../http/http-cell.css';
import './grpc-cell.css';

/** How long to wait for a finished call's bytes to arrive over the capture channel. */
const CAPTURE_WAIT_MS = 3000;

interface Inputs {
  method: string;
  protocol: GrpcProtocol;
  requestText: string;
  metadataText: string;
  deadlineText: string;
}

function inputsOf(config: GrpcCellConfig): Inputs {
  return {
    method: config.method,
    protocol: config.protocol,
    requestText: JSON.stringify(config.request, null, 2),
    metadataText: metadataToLines(config.metadata),
    deadlineText: config.timeoutMs === undefined ? '' : String(config.timeoutMs),
  };
}

/** The cell file is checked by the lesson-format test; a broken one still gives a usable cell. */
function initialInputs(text: string): { inputs: Inputs; problems: string[] } {
  const parsed = parseGrpcCell(text);
  if (parsed.ok) return { inputs: inputsOf(parsed.config), problems: [] };
  return {
    inputs: { method: 'wirelab.users.v1.UserService/GetUser', protocol: 'connect-json', requestText: '{}', metadataText: '', deadlineText: '' },
    problems: parsed.problems,
  };
}

type Prepared =
  | { ok: true; method: DescMethod; request: JsonValue; metadata: Record<string, string>; timeoutMs?: number }
  | { ok: false; problem: string };

export function GrpcCell({ cellId, initialText, saveKey, onExchange }: CellProps) {
  const t = useStrings(grpcEditorStrings);
  const lang = useLang();
  const start = useMemo(() => initialInputs(initialText), [initialText]);
  const [inputs, setInputs] = useSavedCellState<Inputs>(saveKey, start.inputs);
  const [log, setLog] = useState<CallLog | null>(null);
  const [running, setRunning] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [exchange, setExchange] = useState<HttpExchange | 'missing' | null>(null);
  const inputsRef = useRef(inputs);
  inputsRef.current = inputs;

  const registry = grpcRegistry();
  const services = useMemo(() => allServices(registry), [registry]);
  const method = findMethod(inputs.method, registry);
  const schema = useMemo(() => (method ? requestJsonSchema(method.input) : null), [method]);
  const viaRunner = method !== undefined && !browserCanCall(method);

  const update = (patch: Partial<Inputs>) => setInputs((current) => ({ ...current, ...patch }));

  useEffect(() => {
    const editors = (window.__wirelabEditors ??= new Map<string, EditorHandle>());
    editors.set(cellId, {
      getValue: () => inputsRef.current.requestText,
      setValue: (value: string) => {
        inputsRef.current = { ...inputsRef.current, requestText: value };
        setInputs(inputsRef.current);
      },
    });
    return () => {
      editors.delete(cellId);
    };
  }, [cellId]);

  const prepare = useCallback((): Prepared => {
    const current = inputsRef.current;
    const chosen = findMethod(current.method, registry);
    if (!chosen) return { ok: false, problem: t.unknownMethod(current.method) };
    let request: JsonValue;
    try {
      request = JSON.parse(current.requestText === '' ? '{}' : current.requestText) as JsonValue;
    } catch (error) {
      return { ok: false, problem: t.jsonProblem((error as Error).message) };
    }
    const metadata = parseMetadataLines(current.metadataText);
    if (!metadata.ok) return { ok: false, problem: t.metadataProblem(metadata.line, metadata.problem) };
    const deadline = current.deadlineText.trim();
    if (deadline === '') return { ok: true, method: chosen, request, metadata: metadata.metadata };
    const timeoutMs = Number(deadline);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > GRPC_MAX_TIMEOUT_MS) return { ok: false, problem: t.deadlineProblem(GRPC_MAX_TIMEOUT_MS) };
    return { ok: true, method: chosen, request, metadata: metadata.metadata, timeoutMs };
  }, [registry, t]);

  // ---- unary and server streaming: fetch, in the page ----
  const abortRef = useRef<AbortController | null>(null);
  const runId = useRef(0);

  const run = useCallback(async () => {
    const prepared = prepare();
    if (!prepared.ok) {
      // the previous call's log and capture note would read as this attempt's outcome
      setLog(null);
      setExchange(null);
      return setProblem(prepared.problem);
    }
    if (!browserCanCall(prepared.method)) return;
    setProblem(null);
    abortRef.current?.abort();
    const abort = new AbortController();
    abortRef.current = abort;
    const id = ++runId.current;
    setRunning(true);
    setExchange(null);
    let current = emptyLog();
    setLog(current);
    await sessionReady();
    const sentAfter = captureTimeNow();
    const onEvent = (event: CallEvent) => {
      if (id !== runId.current) return;
      current = appendEvent(current, event);
      setLog(current);
    };
    const options = {
      method: prepared.method,
      protocol: inputsRef.current.protocol,
      registry,
      baseUrl: window.location.origin,
      request: prepared.request,
      metadata: prepared.metadata,
      signal: abort.signal,
      onEvent,
    };
    const outcome = await runBrowserCall(prepared.timeoutMs === undefined ? options : { ...options, timeoutMs: prepared.timeoutMs });
    if (id !== runId.current) return;
    setRunning(false);
    // a request that never left the browser has no bytes to find: "not captured" would be false
    if (!outcome.reachedServer) return;
    const captured = await getCaptureStore().waitForExchange({
      method: 'POST',
      target: `/${methodPath(prepared.method)}`,
      after: sentAfter,
      timeoutMs: CAPTURE_WAIT_MS,
    });
    if (id !== runId.current) return;
    setExchange(captured ?? 'missing');
    if (captured) onExchange?.(captured);
  }, [prepare, registry, onExchange]);

  const cancel = useCallback(() => abortRef.current?.abort(), []);

  // ---- client and bidi streaming: the server's runner ----
  const channelRef = useRef<RunnerChannel | null>(null);
  const runnerCall = useRef<{ id: string; startedAt: number | null; sent: JsonValue[] } | null>(null);
  const runnerLog = useRef<CallLog>(emptyLog());
  const callCounter = useRef(0);

  const onRunnerMessage = useCallback((message: RunnerServerMessage) => {
    const call = runnerCall.current;
    if (!call || message.type === 'hello' || (message.type !== 'error' && message.call !== call.id)) return;
    if (message.type === 'error' && message.call !== undefined && message.call !== call.id) return;
    const applied = applyRunnerMessage(runnerLog.current, message, call.startedAt, call.sent);
    call.startedAt = applied.startedAt;
    runnerLog.current = applied.log;
    setLog(applied.log);
    if (applied.log.done) setRunning(false);
  }, []);

  const onRunnerClose = useCallback(
    (code: number) => {
      if (!runnerCall.current || runnerLog.current.done) return;
      runnerLog.current = appendEvent(runnerLog.current, { kind: 'error', text: { en: grpcEditorStrings.en.runnerClosed(code), ru: grpcEditorStrings.ru.runnerClosed(code) }, at: 0 });
      setLog(runnerLog.current);
      setRunning(false);
    },
    [],
  );

  useEffect(
    () => () => {
      abortRef.current?.abort();
      channelRef.current?.close();
    },
    [],
  );

  const channel = () => (channelRef.current ??= new RunnerChannel(runnerUrl(window.location), onRunnerMessage, onRunnerClose));

  const startRunnerCall = useCallback(async () => {
    const prepared = prepare();
    if (!prepared.ok) return setProblem(prepared.problem);
    setProblem(null);
    const previous = runnerCall.current;
    if (previous && !runnerLog.current.done) void channel().send({ type: 'cancel', call: previous.id }).catch(() => undefined);
    const id = `${cellId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40)}-${++callCounter.current}`;
    runnerCall.current = { id, startedAt: null, sent: [] };
    runnerLog.current = emptyLog();
    setLog(runnerLog.current);
    setExchange(null);
    setRunning(true);
    await sessionReady();
    const command = { type: 'start' as const, call: id, method: methodPath(prepared.method), metadata: prepared.metadata, messages: [], end: false };
    try {
      await channel().send(prepared.timeoutMs === undefined ? command : { ...command, timeoutMs: prepared.timeoutMs });
    } catch {
      // the close handler already reported it
    }
  }, [prepare, cellId]);

  const sendRunnerMessage = useCallback(() => {
    const call = runnerCall.current;
    if (!call || runnerLog.current.done) return;
    const prepared = prepare();
    if (!prepared.ok) return setProblem(prepared.problem);
    setProblem(null);
    call.sent.push(prepared.request);
    void channel().send({ type: 'send', call: call.id, message: prepared.request }).catch(() => undefined);
  }, [prepare]);

  const endRunnerCall = useCallback(() => {
    const call = runnerCall.current;
    if (call && !runnerLog.current.done) void channel().send({ type: 'end', call: call.id }).catch(() => undefined);
  }, []);

  const cancelRunnerCall = useCallback(() => {
    const call = runnerCall.current;
    if (call && !runnerLog.current.done) void channel().send({ type: 'cancel', call: call.id }).catch(() => undefined);
  }, []);

  const onRun = viaRunner ? (running ? sendRunnerMessage : startRunnerCall) : run;
  const changeMethod = (path: string) => {
    // Another method has another input type: start from the cell's own request only for its method.
    const own = start.inputs.method === path ? start.inputs.requestText : '{}';
    update({ method: path, requestText: own });
    setLog(null);
  };

  return (
    <section className="http-cell grpc-cell" data-testid="cell" data-cell-id={cellId} data-cell-kind="grpc" aria-label={t.cellLabel(cellId)} lang={lang}>
      <div className="grpc-cell-options">
        <label className="grpc-option grpc-option-method">
          <span>{t.method}</span>
          <select data-testid="grpc-method" value={inputs.method} onChange={(event) => changeMethod(event.target.value)}>
            {method === undefined && <option value={inputs.method}>{inputs.method}</option>}
            {services.map((service) => (
              <optgroup key={service.typeName} label={service.typeName}>
                {service.methods.map((item) => (
                  <option key={item.name} value={methodPath(item)}>
                    {item.name} — {t.kinds[item.methodKind]}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        {!viaRunner && (
          <label className="grpc-option" title={t.protocolHint}>
            <span>{t.protocol}</span>
            <select data-testid="grpc-protocol" value={inputs.protocol} onChange={(event) => update({ protocol: event.target.value as GrpcProtocol })}>
              {GRPC_PROTOCOLS.map((protocol) => (
                <option key={protocol} value={protocol}>
                  {t.protocols[protocol]}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="grpc-option" title={t.deadlineHint}>
          <span>{t.deadline}</span>
          <input
            data-testid="grpc-deadline"
            type="text"
            inputMode="numeric"
            size={7}
            value={inputs.deadlineText}
            onChange={(event) => update({ deadlineText: event.target.value })}
          />
        </label>
      </div>
      {start.problems.length > 0 && (
        <p className="cell-message cell-message-error" role="alert">
          {start.problems.join('; ')}
        </p>
      )}
      {method === undefined && (
        <p className="cell-message cell-message-error" role="alert">
          {t.unknownMethod(inputs.method)}
        </p>
      )}
      {viaRunner && (
        <p className="cell-message grpc-runner-note" data-testid="grpc-runner-note">
          {t.runnerNote}
        </p>
      )}
      <label className="grpc-metadata">
        <span>{t.metadata}</span>
        <textarea
          data-testid="grpc-metadata"
          className="code-textarea"
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          rows={Math.max(1, inputs.metadataText.split('\n').length)}
          value={inputs.metadataText}
          onChange={(event) => update({ metadataText: event.target.value })}
        />
      </label>
      <div className="http-cell-editor grpc-request">
        <span className="grpc-request-label">{viaRunner ? t.messageToSend : t.request}</span>
        <JsonEditor
          modelId={cellId}
          value={inputs.requestText}
          onChange={(requestText) => {
            inputsRef.current = { ...inputsRef.current, requestText };
            update({ requestText });
          }}
          onRun={onRun}
          label={`${t.cellLabel(cellId)}: ${viaRunner ? t.messageToSend : t.request}`}
          schema={schema}
          testId="grpc-request-editor"
        />
      </div>
      <div className="http-cell-toolbar">
        {viaRunner ? (
          <>
            <button type="button" className="button button-primary" data-testid="grpc-start" onClick={startRunnerCall} disabled={method === undefined}>
              {t.start}
            </button>
            <button type="button" className="button" data-testid="grpc-send" onClick={sendRunnerMessage} disabled={!running} aria-keyshortcuts="Control+Enter Meta+Enter">
              {t.send}
            </button>
            <button type="button" className="button" data-testid="grpc-half-close" onClick={endRunnerCall} disabled={!running}>
              {t.halfClose}
            </button>
            <button type="button" className="button" data-testid="grpc-cancel" onClick={cancelRunnerCall} disabled={!running}>
              {t.cancel}
            </button>
          </>
        ) : (
          <>
            <button
              type="button"
              className="button button-primary"
              data-testid="cell-run"
              // not `disabled` while it runs: a disabled button drops the keyboard's focus to the page
              onClick={running ? undefined : run}
              aria-disabled={running}
              disabled={method === undefined}
              aria-keyshortcuts="Control+Enter Meta+Enter"
              title={t.runHint}
            >
              <span aria-hidden="true">▶</span> {running ? t.running : t.run}
            </button>
            <button type="button" className="button" data-testid="grpc-cancel" onClick={cancel} disabled={!running}>
              {t.cancel}
            </button>
            <span className="http-cell-shortcut" aria-hidden="true">
              {t.runHint}
            </span>
          </>
        )}
        <span className="toolbar-spacer" />
        <AsCodeButton
          spec={() => {
            const prepared = prepare();
            if (!prepared.ok) return null;
            const { metadata, timeoutMs } = prepared;
            return grpcSpecOf({ method: methodPath(prepared.method), protocol: inputs.protocol, request: prepared.request as Record<string, unknown>, metadata, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
          }}
        />
        <button
          type="button"
          className="button button-quiet"
          onClick={() => {
            setInputs(start.inputs);
            setProblem(null);
          }}
          title={t.resetHint}
        >
          {t.reset}
        </button>
      </div>
      {problem && (
        <p className="cell-message cell-message-error" role="alert" data-testid="grpc-problem">
          {problem}
        </p>
      )}
      {log && <CallLogView log={log} />}
      {exchange === 'missing' && <p className="cell-message">{t.notCaptured}</p>}
      {exchange && exchange !== 'missing' && onExchange && (
        <p className="grpc-capture">
          <button type="button" className="button button-quiet" data-testid="grpc-show-bytes" onClick={() => onExchange(exchange)}>
            {t.showInInspector}
          </button>
        </p>
      )}
    </section>
  );
}
