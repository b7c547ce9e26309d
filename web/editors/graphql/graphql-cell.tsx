// A lesson's GraphQL cell: the source (document, variables, headers; kept across reloads), the
// operations it runs (use-graphql-operation.ts) and the rows that show them (graphql-cell-parts.tsx).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { HttpExchange } from '../../../wire/types.ts';
import type { Selection } from '../../inspector/exchange-sections.ts';
import { useLang, useStrings } from '../../kit/lang-context.ts';
import { useSession } from '../../kit/session.ts';
import { CopyCurlButton } from '../http/copy-curl-button.tsx';
import { AsCodeButton } from '../as-code/as-code-button.tsx';
import { formatCellText, parseCellText, withBatching, type GraphqlCellSource } from './cell-format.ts';
import { readCellRequest } from './cell-request.ts';
import { outlineDocument } from './operations.ts';
import type { HttpMethodChoice, RequestPolicy, WsProtocol } from './graphql-client.ts';
import { loadSchema } from './schema-store.ts';
import { DocsExplorer } from './docs-explorer.tsx';
import { subscriptionLive, useGraphqlOperation } from './use-graphql-operation.ts';
import { BatchingSwitch, GraphqlEditors, GraphqlOutcome, HttpOptions, OperationPicker, ProtocolPicker, RunOrStop } from './graphql-cell-parts.tsx';
import { graphqlEditorStrings } from './strings.ts';
// The one remembered choice of every cell (moving to the console kit: the coordinator fixes these imports on merge).
import { useOwnTarget } from '../target-switch/own-target.ts';
import { TargetSwitch } from '../target-switch/target-switch.tsx';
import { useSavedCellState } from '../saved-cell-state.ts';
import './graphql-cell.css';

export type { SubscriptionState } from './use-graphql-operation.ts';

interface GraphqlCellProps {
  cellId: string;
  initialText: string;
  saveKey?: string;
  onExchange?(exchange: HttpExchange): void;
  onInspect?(selection: Selection): void;
}

/** The cell's text as the page's editor handle (tests and "As code" read and write it). */
function useEditorHandle(cellId: string, sourceRef: { current: GraphqlCellSource }, setSource: (source: GraphqlCellSource) => void): void {
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
  const sourceRef = useRef(source);
  sourceRef.current = source;
  useEditorHandle(cellId, sourceRef, setSource);
  useEffect(() => loadSchema(), []);
  const target = useOwnTarget();
  const mine = target.mode === 'mine';
  const calls = useGraphqlOperation(sourceRef, { target, wantedOperation, policy, method, protocol, lang }, t, onExchange);
  const session = useSession();

  const outline = useMemo(() => outlineDocument(source.document), [source.document]);
  const { operations, operationIndex, operation, variables, batchingOn, isSubscription, curlRequest, asCodeSpec } = readCellRequest(
    source,
    outline,
    wantedOperation,
  );

  const update = (patch: Partial<GraphqlCellSource>) => setSource((previous) => ({ ...previous, ...patch }));
  const changed = formatCellText(source) !== formatCellText(initial);
  const { run, subscription } = calls;

  return (
    <section className="graphql-cell" data-testid="cell" data-cell-kind="graphql" data-cell-id={cellId} aria-label={t.editorLabel(cellId)} lang={lang}>
      <div className="graphql-cell-main">
        <GraphqlEditors
          cellId={cellId}
          source={source}
          variablesProblem={variables.ok ? null : t.variablesError(variables.message)}
          update={update}
          onRun={run}
        />
        {docsOpen && <DocsExplorer />}
      </div>
      <div className="graphql-cell-toolbar">
        <RunOrStop
          live={isSubscription && subscriptionLive(subscription)}
          running={calls.running}
          isSubscription={isSubscription}
          onRun={run}
          onStop={calls.stopSubscription}
        />
        <OperationPicker operations={operations} index={operationIndex} onPick={setWantedOperation} />
        {isSubscription ? (
          <ProtocolPicker protocol={protocol} disabled={subscriptionLive(subscription)} onChange={setProtocol} />
        ) : (
          <HttpOptions policy={policy} onPolicy={setPolicy} method={operation?.type === 'query' && !mine ? method : null} onMethod={setMethod} />
        )}
        <BatchingSwitch on={batchingOn} onChange={(on) => update({ headers: withBatching(source.headers, on) })} />
        <span className="toolbar-spacer" />
        {curlRequest && session.status === 'ready' && <CopyCurlButton request={curlRequest} />}
        <AsCodeButton spec={asCodeSpec} />
        <button
          type="button"
          className="button button-quiet"
          data-testid="graphql-docs"
          aria-pressed={docsOpen}
          onClick={() => setDocsOpen((open) => !open)}
          title={t.docsHint}
        >
          {t.docs}
        </button>
        <button type="button" className="button button-quiet" onClick={() => setSource(initial)} disabled={!changed} title={t.resetHint}>
          {t.reset}
        </button>
      </div>
      <TargetSwitch />
      {mine && (
        <p className="cell-message graphql-own-server-note" data-testid="graphql-own-server-note">
          {isSubscription ? t.ownSubscriptionNote(target.address.trim()) : t.ownSchemaNote(target.address.trim())}
        </p>
      )}
      <GraphqlOutcome outcome={calls.outcome} subscription={isSubscription ? subscription : null} onExchange={onExchange} onInspect={onInspect} />
    </section>
  );
}
