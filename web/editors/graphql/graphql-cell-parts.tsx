// The rows of a GraphQL cell, each its own component (the cell composes them, graphql-cell.tsx).
import type { HttpExchange } from '../../../wire/types.ts';
import type { Selection } from '../../inspector/exchange-sections.ts';
import { useLang, useStrings } from '../../kit/lang-context.ts';
import { loadSchema, useSchema } from './schema-store.ts';
import type { GraphqlCellSource } from './cell-format.ts';
import type { OperationInfo } from './operations.ts';
import type { HttpMethodChoice, RequestPolicy, WsProtocol } from './graphql-client.ts';
import { GraphqlCodeEditor } from './graphql-code-editor.tsx';
import { ResultPanel } from './result-panel.tsx';
import { SubscriptionPanel } from './subscription-panel.tsx';
import type { Outcome, SubscriptionState } from './use-graphql-operation.ts';
import { graphqlEditorStrings } from './strings.ts';

interface EditorsProps {
  cellId: string;
  source: GraphqlCellSource;
  variablesProblem: string | null;
  update(patch: Partial<GraphqlCellSource>): void;
  onRun(): void;
}

/** The document, then the variables (JSON) and the headers, each folded away while empty. */
export function GraphqlEditors({ cellId, source, variablesProblem, update, onRun }: EditorsProps) {
  const t = useStrings(graphqlEditorStrings);
  return (
    <div className="graphql-cell-editors">
      <GraphqlCodeEditor
        value={source.document}
        onChange={(document) => update({ document })}
        onRun={onRun}
        label={t.editorLabel(cellId)}
        language="graphql"
        minLines={4}
      />
      <details className="graphql-cell-section" open={source.variables.trim() !== '' || undefined}>
        <summary>{t.variables}</summary>
        <GraphqlCodeEditor
          value={source.variables}
          onChange={(text) => update({ variables: text })}
          onRun={onRun}
          label={t.variablesLabel(cellId)}
          language="json"
          jsonProblem={variablesProblem}
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
  );
}

/** Run (or Subscribe), and Stop while a subscription is live. */
export function RunOrStop({
  live,
  running,
  isSubscription,
  onRun,
  onStop,
}: {
  live: boolean;
  running: boolean;
  isSubscription: boolean;
  onRun(): void;
  onStop(): void;
}) {
  const t = useStrings(graphqlEditorStrings);
  if (live) {
    return (
      <button type="button" className="button button-primary" data-testid="cell-stop" onClick={onStop}>
        <span aria-hidden="true">■</span> {t.stop}
      </button>
    );
  }
  return (
    <button
      type="button"
      className="button button-primary"
      data-testid="cell-run"
      onClick={running ? undefined : onRun}
      aria-disabled={running}
      aria-keyshortcuts="Control+Enter Meta+Enter"
      title={t.runHint}
    >
      <span aria-hidden="true">▶</span> {running ? t.running : isSubscription ? t.subscribe : t.run}
    </button>
  );
}

/** Which operation of the document runs, when it has several. */
export function OperationPicker({ operations, index, onPick }: { operations: OperationInfo[]; index: number; onPick(wanted: string | number): void }) {
  const t = useStrings(graphqlEditorStrings);
  if (operations.length <= 1) return null;
  return (
    <label className="graphql-option">
      {t.operation}{' '}
      <select
        data-testid="graphql-operation"
        value={index}
        onChange={(event) => onPick(operations[Number(event.target.value)]?.name ?? Number(event.target.value))}
      >
        {operations.map((item, position) => (
          <option key={position} value={position}>
            {item.type} {item.name ?? t.anonymous}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The subscription's WebSocket subprotocol. */
export function ProtocolPicker({ protocol, disabled, onChange }: { protocol: WsProtocol; disabled: boolean; onChange(protocol: WsProtocol): void }) {
  const t = useStrings(graphqlEditorStrings);
  return (
    <label className="graphql-option">
      {t.protocol}{' '}
      <select data-testid="graphql-protocol" value={protocol} onChange={(event) => onChange(event.target.value as WsProtocol)} disabled={disabled}>
        <option value="graphql-transport-ws">{t.protocolModern}</option>
        <option value="graphql-ws">{t.protocolLegacy}</option>
      </select>
    </label>
  );
}

interface HttpOptionsProps {
  policy: RequestPolicy;
  onPolicy(policy: RequestPolicy): void;
  /** null: not a query, so no GET */
  method: HttpMethodChoice | null;
  onMethod(method: HttpMethodChoice): void;
}

/** A query's or mutation's cache policy, and GET or POST for a query. */
export function HttpOptions({ policy, onPolicy, method, onMethod }: HttpOptionsProps) {
  const t = useStrings(graphqlEditorStrings);
  return (
    <>
      <label className="graphql-option">
        {t.policy}{' '}
        <select data-testid="graphql-policy" value={policy} onChange={(event) => onPolicy(event.target.value as RequestPolicy)}>
          <option value="cache-first">{t.policyCacheFirst}</option>
          <option value="network-only">{t.policyNetworkOnly}</option>
        </select>
      </label>
      {method !== null && (
        <label className="graphql-option" title={t.methodGetHint}>
          {t.method}{' '}
          <select data-testid="graphql-method" value={method} onChange={(event) => onMethod(event.target.value as HttpMethodChoice)}>
            <option value="POST">POST</option>
            <option value="GET">GET</option>
          </select>
        </label>
      )}
    </>
  );
}

/** Batching on or off: the switch writes or removes the cell's batching header (cell-format.ts). */
export function BatchingSwitch({ on, onChange }: { on: boolean; onChange(on: boolean): void }) {
  const t = useStrings(graphqlEditorStrings);
  return (
    <label className="graphql-option" title={t.batchingHint}>
      <input type="checkbox" data-testid="graphql-batching" checked={on} onChange={(event) => onChange(event.target.checked)} /> {t.batching}
    </label>
  );
}

interface OutcomeProps {
  outcome: Outcome | null;
  subscription: SubscriptionState | null;
  onExchange?(exchange: HttpExchange): void;
  onInspect?(selection: Selection): void;
}

/** What the last run showed, and the schema's trouble if it could not be loaded. */
export function GraphqlOutcome({ outcome, subscription, onExchange, onInspect }: OutcomeProps) {
  const t = useStrings(graphqlEditorStrings);
  const lang = useLang();
  const schema = useSchema();
  return (
    <>
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
      {outcome?.kind === 'refused' && (
        <p className="cell-message cell-message-error" role="alert" data-testid="graphql-refused" data-status={outcome.status}>
          {outcome.message ? t.ownRefused(outcome.message[lang]) : t.ownRefusedStatus(outcome.status)}
        </p>
      )}
      {outcome?.kind === 'network-error' && (
        <p className="cell-message cell-message-error" role="alert">
          {t.networkError(outcome.message)}
        </p>
      )}
      {outcome?.kind === 'result' && <ResultPanel run={outcome.run} capture={outcome.capture} lookAgain={outcome.lookAgain} onShowExchange={onExchange} />}
      {subscription && <SubscriptionPanel state={subscription} onInspect={onInspect} />}
    </>
  );
}
