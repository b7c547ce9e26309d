// A lesson's gRPC cell: the inputs (grpc-inputs.ts, kept across reloads), the calls
// (use-grpc-call.ts: fetch for unary and server streaming, the server's runner for client and
// bidi streaming; aimed at "my server", every call through the own-server runner, which Wirelab's
// server makes to the student's address over h2c) and the rows that show them (grpc-cell-parts.tsx).
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useLang, useStrings } from '../../kit/lang-context.ts';
import type { CellProps } from '../cell-props.ts';
import type { EditorHandle } from '../http/http-cell.tsx';
import { AsCodeButton } from '../as-code/as-code-button.tsx';
import { grpcSpecOf } from '../as-code/cell-spec.ts';
import { allServices, browserCanCall, findMethod, grpcRegistry, methodPath } from './method-catalog.ts';
import { requestJsonSchema } from './request-json-schema.ts';
import { initialInputs, prepareCall, type GrpcInputs } from './grpc-inputs.ts';
import { useGrpcCall } from './use-grpc-call.ts';
import { runnerUrl } from './runner-channel.ts';
// The one remembered choice of every cell (moving to the console kit: the coordinator fixes these imports on merge).
import { useOwnTarget } from '../target-switch/own-target.ts';
import { TargetSwitch } from '../target-switch/target-switch.tsx';
import { JsonEditor } from './json-editor.tsx';
import { GrpcCallButtons, GrpcCellNotes, GrpcMetadataField, GrpcOptions, GrpcOutcome } from './grpc-cell-parts.tsx';
import { grpcEditorStrings } from './strings.ts';
import { useSavedCellState } from '../saved-cell-state.ts';
import { CellWhenNear } from '../cell-when-near.tsx';
import '../http/http-cell.css';
import './grpc-cell.css';

/** The cell's request text as the page's editor handle (tests and "As code" read and write it). */
function useEditorHandle(cellId: string, inputsRef: { current: GrpcInputs }, setInputs: (inputs: GrpcInputs) => void): void {
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
}

/** The cell's call as "As code" writes it, or nothing while the inputs make no call. */
function callSpec(prepared: ReturnType<typeof prepareCall>, protocol: GrpcInputs['protocol']) {
  if (!prepared.ok) return null;
  const { metadata, timeoutMs } = prepared;
  return grpcSpecOf({
    method: methodPath(prepared.method),
    protocol,
    request: prepared.request as Record<string, unknown>,
    metadata,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

/** A lesson's gRPC cell, once it nears the viewport or the page's first editor is up (cell-when-near.tsx). */
export function GrpcCell(props: CellProps) {
  return (
    <CellWhenNear text={props.initialText}>
      <LiveGrpcCell {...props} />
    </CellWhenNear>
  );
}

function LiveGrpcCell({ cellId, initialText, saveKey, onExchange }: CellProps) {
  const t = useStrings(grpcEditorStrings);
  const lang = useLang();
  const start = useMemo(() => initialInputs(initialText), [initialText]);
  const [inputs, setInputs] = useSavedCellState<GrpcInputs>(saveKey, start.inputs);
  const inputsRef = useRef(inputs);
  inputsRef.current = inputs;
  useEditorHandle(cellId, inputsRef, setInputs);

  const registry = grpcRegistry();
  const services = useMemo(() => allServices(registry), [registry]);
  const method = findMethod(inputs.method, registry);
  const schema = useMemo(() => (method ? requestJsonSchema(method.input) : null), [method]);
  const target = useOwnTarget();
  const mine = target.mode === 'mine';
  // the request side streams: only the runner can send it (fetch sends a whole body first)
  const streamsRequests = method !== undefined && !browserCanCall(method);
  // the student's server speaks native gRPC over h2c, which no page can: Wirelab's server makes every call
  const viaRunner = streamsRequests || (mine && method !== undefined);

  const prepare = useCallback(() => prepareCall(inputsRef.current, registry, t), [registry, t]);
  const protocol = useCallback(() => inputsRef.current.protocol, []);
  const channelUrl = runnerUrl(window.location, mine ? target.address : undefined);
  const { view, leave, fetchCall, runner } = useGrpcCall({ cellId, runnerUrl: channelUrl, registry, prepare, protocol, onExchange });

  const update = (patch: Partial<GrpcInputs>) => setInputs((current) => ({ ...current, ...patch }));
  const onRun = !viaRunner ? fetchCall.run : !streamsRequests ? runner.startOnce : view.running ? runner.send : runner.start;
  const changeMethod = (path: string) => {
    // Another method has another input type: start from the cell's own request only for its method.
    const own = start.inputs.method === path ? start.inputs.requestText : '{}';
    update({ method: path, requestText: own });
    leave();
  };
  const asCode = () => callSpec(prepare(), inputs.protocol);
  const requestLabel = streamsRequests ? t.messageToSend : t.request;

  return (
    <section className="http-cell grpc-cell" data-testid="cell" data-cell-id={cellId} data-cell-kind="grpc" aria-label={t.cellLabel(cellId)} lang={lang}>
      <GrpcOptions inputs={inputs} method={method} services={services} showProtocol={!viaRunner} changeMethod={changeMethod} update={update} />
      <TargetSwitch />
      <GrpcCellNotes
        ownAddress={mine ? target.address.trim() : null}
        problems={start.problems}
        unknownMethod={method === undefined ? inputs.method : null}
        viaRunnerOnly={streamsRequests && !mine}
      />
      <GrpcMetadataField value={inputs.metadataText} onChange={(metadataText) => update({ metadataText })} />
      <div className="http-cell-editor grpc-request">
        <span className="grpc-request-label">{requestLabel}</span>
        <JsonEditor
          modelId={cellId}
          value={inputs.requestText}
          onChange={(requestText) => {
            inputsRef.current = { ...inputsRef.current, requestText };
            update({ requestText });
          }}
          onRun={onRun}
          label={`${t.cellLabel(cellId)}: ${requestLabel}`}
          schema={schema}
          testId="grpc-request-editor"
        />
      </div>
      <div className="http-cell-toolbar">
        <GrpcCallButtons
          running={view.running}
          disabled={method === undefined}
          viaRunner={viaRunner}
          streamsRequests={streamsRequests}
          fetchCall={fetchCall}
          runner={runner}
        />
        <span className="toolbar-spacer" />
        <AsCodeButton spec={asCode} />
        <button
          type="button"
          className="button button-quiet"
          onClick={() => {
            setInputs(start.inputs);
            view.setProblem(null);
          }}
          title={t.resetHint}
        >
          {t.reset}
        </button>
      </div>
      <GrpcOutcome problem={view.problem} log={view.log} exchange={view.exchange} lookAgain={view.lookAgain} onExchange={onExchange} />
    </section>
  );
}
