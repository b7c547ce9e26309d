import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { OperationResult } from '@urql/core';
import type { HttpExchange } from '../../wire/types.ts';
import type { Selection } from '../../inspector/exchange-sections.ts';
import { getCaptureStore } from '../../inspector/capture-store.ts';
import { useLang, useStrings } from '../../app/lang-context.ts';
import { useSession } from '../../app/session.ts';
import { CopyCurlButton } from '../http/copy-curl-button.tsx';
import { AsCodeButton } from '../../as-code/as-code-button.tsx';
import { httpSpecOf, subscriptionSpecOf } from '../../as-code/cell-spec.ts';
import { graphqlHttpRequest } from './curl-request.ts';
import { batchingSwitchedOff, formatCellText, parseCellText, parseHeaderLines, parseVariables, withBatching, type GraphqlCellSource } from './cell-format.ts';
import { outlineDocument, operationSource, pickOperation } from './operations.ts';
import { runOperation, startSubscription, type HttpMethodChoice, type RequestPolicy, type RunResult, type SubscriptionHandle, type WsProtocol } from './graphql-client.ts';
import { loadSchema, useSchema } from './schema-store.ts';
import { GraphqlCodeEditor } from './graphql-code-editor.tsx';
import { ResultPanel } from './result-panel.tsx';
import { SubscriptionPanel, type SubscriptionEvent } from './subscription-panel.tsx';
import { DocsExplorer } from './docs-explorer.tsx';
import { graphqlEditorStrings } from './strings.ts';
import { useSavedCellState } from '../saved-cell-state.ts';
import './graphql-cell.css';

interface GraphqlCellProps {
  cellId: string;
  initialText: string;
  saveKey?: string;
  onExchange?(exchange: HttpExchange): void;
  onInspect?(selection: Selection): void;
}

type Outcome =
  | { kind: 'problem'; message: string }
  | { kind: 'network-error'; message: string }
  | { kind: 'result'; run: RunResult; capture: 'none' | 'waiting' | 'missing' | HttpExchange };

export interface SubscriptionState {
  status: 'idle' | 'active' | 'ended';
  startedAt: number;
  events: SubscriptionEvent[];
}

export function GraphqlCell({ cellId, initialText, saveKey, onExchange, onInspect }: GraphqlCellProps) {
  const t = useStrings(graphqlEditorStrings);
  const lang = useLang();
  const initial = useMemo(() => parseCellText(initialText), [initialText]);
  const [source, setSource] = useSavedCellState<GraphqlCellSource>(saveKey, initial);
  const [wantedOperation, setWantedOperation] = useState<string | number | null>(null);
  const [policy, setPolicy] = useState<RequestPolicy>('cache-first');
  const [method, setMethod] = useState<HttpMethodChoice>('POST');
  const [protocol, setProtocol] = useState<WsProtocol>('graphql-transport-ws');
  const [docsOpen, setDocsOpen] = useState(false);
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [subscription, setSubscription] = useState<SubscriptionState>({ status: 'idle', startedAt: 0, events: [] });
  const subscriptionHandle = useRef<SubscriptionHandle | null>(null);
  const sourceRef = useRef(source);
  sourceRef.current = source;
  const runId = useRef(0);
  const schema = useSchema();

  useEffect(() => loadSchema(), []);
  useEffect(() => () => subscriptionHandle.current?.stop(), []);

  useEffect(() => {
    const editors = (window.__wirelabEditors ??= new Map());
    editors.set(cellId, {
      getValue: () => formatCellText(sourceRef.current),
      setValue: (value: string) => {
        const parsed = parseCellText(value);
        sourceRef.current = parsed;
        setSource(parsed);
      },
    });
    return () => {
      editors.delete(cellId);
    };
  }, [cellId]);

  const outline = useMemo(() => outlineDocument(source.document), [source.document]);
  const operations = outline.ok ? outline.operations : [];
  const operationIndex = pickOperation(operations, wantedOperation);
  const operation = operations[operationIndex];
  const variables = parseVariables(source.variables);
  const headers = parseHeaderLines(source.headers);
  const batchingOn = !(headers.ok && batchingSwitchedOff(headers.headers));
  const isSubscription = operation?.type === 'subscription';
  const session = useSession();
  const curlRequest =
    outline.ok && operation && !isSubscription && variables.ok && headers.ok
      ? graphqlHttpRequest(operationSource(source.document, outline.document, operationIndex), variables.value, headers.headers, operation.name)
      : null;

  // a query or mutation: the HTTP request curl would send; a subscription: graphql-transport-ws
  const asCodeSpec = () => {
    if (curlRequest) return httpSpecOf(curlRequest);
    if (!isSubscription || !outline.ok || !variables.ok) return null;
    return subscriptionSpecOf(operationSource(source.document, outline.document, operationIndex), variables.value, operation.name);
  };

  const stopSubscription = useCallback(() => {
    subscriptionHandle.current?.stop();
    subscriptionHandle.current = null;
    setSubscription((state) => ({ ...state, status: state.status === 'active' ? 'ended' : state.status }));
  }, []);

  const run = useCallback(async () => {
    const current = sourceRef.current;
    const currentOutline = outlineDocument(current.document);
    if (!currentOutline.ok) return setOutcome({ kind: 'problem', message: t.syntaxError(currentOutline.line, currentOutline.column, currentOutline.message) });
    const index = pickOperation(currentOutline.operations, wantedOperation);
    const chosen = currentOutline.operations[index];
    if (!chosen) return setOutcome({ kind: 'problem', message: t.noOperation });
    const currentVariables = parseVariables(current.variables);
    if (!currentVariables.ok) return setOutcome({ kind: 'problem', message: t.variablesError(currentVariables.message) });
    const currentHeaders = parseHeaderLines(current.headers);
    if (!currentHeaders.ok) return setOutcome({ kind: 'problem', message: t.headerError(currentHeaders.line, currentHeaders.text) });
    const query = operationSource(current.document, currentOutline.document, index);

    if (chosen.type === 'subscription') {
      subscriptionHandle.current?.stop();
      setOutcome(null);
      const startedAt = Date.now();
      setSubscription({ status: 'active', startedAt, events: [] });
      const onResult = (result: OperationResult) => {
        setSubscription((state) => (state.startedAt === startedAt ? { ...state, events: [...state.events, { at: Date.now(), result }] } : state));
      };
      subscriptionHandle.current = startSubscription(query, currentVariables.value, protocol, onResult);
      return;
    }

    const id = ++runId.current;
    setRunning(true);
    try {
      const result = await runOperation({
        query,
        variables: currentVariables.value,
        headers: currentHeaders.headers,
        requestPolicy: policy,
        method,
        kind: chosen.type,
      });
      if (id !== runId.current) return;
      if (result.result.error?.networkError && !result.sent) {
        setOutcome({ kind: 'network-error', message: result.result.error.networkError.message });
        return;
      }
      setOutcome({ kind: 'result', run: result, capture: result.sent ? 'waiting' : 'none' });
      if (!result.sent) return;
      const exchange = await getCaptureStore().waitForExchange({ method: result.sent.method, target: result.sent.target, after: result.sent.sentAfter, timeoutMs: 3000 });
      if (id !== runId.current) return;
      setOutcome({ kind: 'result', run: result, capture: exchange ?? 'missing' });
      if (exchange) onExchange?.(exchange);
    } catch (error) {
      if (id === runId.current) setOutcome({ kind: 'network-error', message: error instanceof Error ? error.message : String(error) });
    } finally {
      if (id === runId.current) setRunning(false);
    }
  }, [t, wantedOperation, policy, method, protocol, onExchange]);

  const update = (patch: Partial<GraphqlCellSource>) => setSource((previous) => ({ ...previous, ...patch }));
  const changed = formatCellText(source) !== formatCellText(initial);

  return (
    <section className="graphql-cell" data-testid="cell" data-cell-kind="graphql" data-cell-id={cellId} aria-label={t.editorLabel(cellId)} lang={lang}>
      <div className="graphql-cell-main">
        <div className="graphql-cell-editors">
          <GraphqlCodeEditor value={source.document} onChange={(document) => update({ document })} onRun={run} label={t.editorLabel(cellId)} language="graphql" minLines={4} />
          <details className="graphql-cell-section" open={source.variables.trim() !== '' || undefined}>
            <summary>{t.variables}</summary>
            <GraphqlCodeEditor
              value={source.variables}
              onChange={(text) => update({ variables: text })}
              onRun={run}
              label={t.variablesLabel(cellId)}
              language="json"
              jsonProblem={variables.ok ? null : t.variablesError(variables.message)}
              minLines={2}
              maxLines={10}
              testId="graphql-variables-ready"
            />
          </details>
          <details className="graphql-cell-section" open={source.headers.trim() !== '' || undefined}>
            <summary title={t.headersHint}>{t.headers}</summary>
            <textarea
              className="code-textarea graphql-headers"
              aria-label={t.headersLabel(cellId)}
              data-testid="graphql-headers"
              spellCheck={false}
              rows={Math.max(2, source.headers.split('\n').length)}
              value={source.headers}
              onChange={(event) => update({ headers: event.target.value })}
            />
          </details>
        </div>
        {docsOpen && <DocsExplorer />}
      </div>
      <div className="graphql-cell-toolbar">
        {isSubscription && subscription.status === 'active' ? (
          <button type="button" className="button button-primary" data-testid="cell-stop" onClick={stopSubscription}>
            <span aria-hidden="true">■</span> {t.stop}
          </button>
        ) : (
          <button type="button" className="button button-primary" data-testid="cell-run" onClick={running ? undefined : run} aria-disabled={running} aria-keyshortcuts="Control+Enter Meta+Enter" title={t.runHint}>
            <span aria-hidden="true">▶</span> {running ? t.running : isSubscription ? t.subscribe : t.run}
          </button>
        )}
        {operations.length > 1 && (
          <label className="graphql-option">
            {t.operation}{' '}
            <select data-testid="graphql-operation" value={operationIndex} onChange={(event) => setWantedOperation(operations[Number(event.target.value)]?.name ?? Number(event.target.value))}>
              {operations.map((item, index) => (
                <option key={index} value={index}>
                  {item.type} {item.name ?? t.anonymous}
                </option>
              ))}
            </select>
          </label>
        )}
        {isSubscription ? (
          <label className="graphql-option">
            {t.protocol}{' '}
            <select data-testid="graphql-protocol" value={protocol} onChange={(event) => setProtocol(event.target.value as WsProtocol)} disabled={subscription.status === 'active'}>
              <option value="graphql-transport-ws">{t.protocolModern}</option>
              <option value="graphql-ws">{t.protocolLegacy}</option>
            </select>
          </label>
        ) : (
          <>
            <label className="graphql-option">
              {t.policy}{' '}
              <select data-testid="graphql-policy" value={policy} onChange={(event) => setPolicy(event.target.value as RequestPolicy)}>
                <option value="cache-first">{t.policyCacheFirst}</option>
                <option value="network-only">{t.policyNetworkOnly}</option>
              </select>
            </label>
            {operation?.type === 'query' && (
              <label className="graphql-option" title={t.methodGetHint}>
                {t.method}{' '}
                <select data-testid="graphql-method" value={method} onChange={(event) => setMethod(event.target.value as HttpMethodChoice)}>
                  <option value="POST">POST</option>
                  <option value="GET">GET</option>
                </select>
              </label>
            )}
          </>
        )}
        <label className="graphql-option" title={t.batchingHint}>
          <input type="checkbox" data-testid="graphql-batching" checked={batchingOn} onChange={(event) => update({ headers: withBatching(source.headers, event.target.checked) })} /> {t.batching}
        </label>
        <span className="toolbar-spacer" />
        {curlRequest && session.status === 'ready' && <CopyCurlButton request={curlRequest} />}
        <AsCodeButton spec={asCodeSpec} />
        <button type="button" className="button button-quiet" data-testid="graphql-docs" aria-pressed={docsOpen} onClick={() => setDocsOpen((open) => !open)} title={t.docsHint}>
          {t.docs}
        </button>
        <button type="button" className="button button-quiet" onClick={() => setSource(initial)} disabled={!changed} title={t.resetHint}>
          {t.reset}
        </button>
      </div>
      {schema.status === 'error' && (
        <p className="cell-message cell-message-warning" role="note">
          {t.schemaFailed(schema.message)}{' '}
          <button type="button" className="link-button" onClick={() => loadSchema()}>
            {t.retry}
          </button>
        </p>
      )}
      {outcome?.kind === 'problem' && (
        <p className="cell-message cell-message-error" role="alert" data-testid="graphql-problem">
          {outcome.message}
        </p>
      )}
      {outcome?.kind === 'network-error' && (
        <p className="cell-message cell-message-error" role="alert">
          {t.networkError(outcome.message)}
        </p>
      )}
      {outcome?.kind === 'result' && <ResultPanel run={outcome.run} capture={outcome.capture} onShowExchange={onExchange} />}
      {isSubscription && <SubscriptionPanel state={subscription} onInspect={onInspect} />}
    </section>
  );
}
