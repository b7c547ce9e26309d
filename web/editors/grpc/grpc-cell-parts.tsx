// The rows of a gRPC cell, each its own component (the cell composes them, grpc-cell.tsx).
import type { DescMethod, DescService } from '@bufbuild/protobuf';
import type { HttpExchange } from '../../../wire/types.ts';
import { useStrings } from '../../kit/lang-context.ts';
import { GRPC_PROTOCOLS, type GrpcProtocol } from './grpc-cell-config.ts';
import type { GrpcInputs } from './grpc-inputs.ts';
import { methodPath } from './method-catalog.ts';
import type { CallLog } from './call-log.ts';
import { CallLogView } from './call-log-view.tsx';
import { LookAgainButton } from '../look-again-button.tsx';
import { grpcEditorStrings } from './strings.ts';

interface OptionsProps {
  inputs: GrpcInputs;
  method: DescMethod | undefined;
  services: DescService[];
  /** the protocol picker: only for a call the page makes itself with fetch */
  showProtocol: boolean;
  changeMethod(path: string): void;
  update(patch: Partial<GrpcInputs>): void;
}

/** The method, the protocol the browser speaks and the deadline. */
export function GrpcOptions({ inputs, method, services, showProtocol, changeMethod, update }: OptionsProps) {
  const t = useStrings(grpcEditorStrings);
  return (
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
      {showProtocol && (
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
  );
}

/** The request metadata, one "name: value" per line. */
export function GrpcMetadataField({ value, onChange }: { value: string; onChange(value: string): void }) {
  const t = useStrings(grpcEditorStrings);
  return (
    <label className="grpc-metadata">
      <span>{t.metadata}</span>
      <textarea
        data-testid="grpc-metadata"
        className="code-textarea"
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        rows={Math.max(1, value.split('\n').length)}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </label>
  );
}

interface RunnerButtonsProps {
  running: boolean;
  disabled: boolean;
  onStart(): void;
  onSend(): void;
  onEnd(): void;
  onCancel(): void;
}

/** A streaming call through the runner: start, send one message at a time, half-close, cancel. */
export function RunnerButtons({ running, disabled, onStart, onSend, onEnd, onCancel }: RunnerButtonsProps) {
  const t = useStrings(grpcEditorStrings);
  return (
    <>
      <button type="button" className="button button-primary" data-testid="grpc-start" onClick={onStart} disabled={disabled}>
        {t.start}
      </button>
      <button type="button" className="button" data-testid="grpc-send" onClick={onSend} disabled={!running} aria-keyshortcuts="Control+Enter Meta+Enter">
        {t.send}
      </button>
      <button type="button" className="button" data-testid="grpc-half-close" onClick={onEnd} disabled={!running}>
        {t.halfClose}
      </button>
      <button type="button" className="button" data-testid="grpc-cancel" onClick={onCancel} disabled={!running}>
        {t.cancel}
      </button>
    </>
  );
}

/** A call with one request: Run (Ctrl+Enter) and Cancel. */
export function RunButtons({ running, disabled, onRun, onCancel }: { running: boolean; disabled: boolean; onRun(): void; onCancel(): void }) {
  const t = useStrings(grpcEditorStrings);
  return (
    <>
      <button
        type="button"
        className="button button-primary"
        data-testid="cell-run"
        // not `disabled` while it runs: a disabled button drops the keyboard's focus to the page
        onClick={running ? undefined : onRun}
        aria-disabled={running}
        disabled={disabled}
        aria-keyshortcuts="Control+Enter Meta+Enter"
        title={t.runHint}
      >
        <span aria-hidden="true">▶</span> {running ? t.running : t.run}
      </button>
      <button type="button" className="button" data-testid="grpc-cancel" onClick={onCancel} disabled={!running}>
        {t.cancel}
      </button>
      <span className="http-cell-shortcut" aria-hidden="true">
        {t.runHint}
      </span>
    </>
  );
}

interface OutcomeProps {
  problem: string | null;
  log: CallLog | null;
  exchange: HttpExchange | 'missing' | null;
  /** after a miss: a click looks for the bytes again */
  lookAgain: (() => Promise<HttpExchange | null>) | null;
  onExchange?(exchange: HttpExchange): void;
}

/** What the last call showed: a problem with the inputs, the call's log, the link to its bytes. */
export function GrpcOutcome({ problem, log, exchange, lookAgain, onExchange }: OutcomeProps) {
  const t = useStrings(grpcEditorStrings);
  return (
    <>
      {problem && (
        <p className="cell-message cell-message-error" role="alert" data-testid="grpc-problem">
          {problem}
        </p>
      )}
      {log && <CallLogView log={log} />}
      {exchange === 'missing' && (
        <p className="cell-message" data-testid="capture-missing">
          {t.notCaptured} {lookAgain && <LookAgainButton lookAgain={lookAgain} />}
        </p>
      )}
      {exchange && exchange !== 'missing' && onExchange && (
        <p className="grpc-capture">
          <button type="button" className="button button-quiet" data-testid="grpc-show-bytes" onClick={() => onExchange(exchange)}>
            {t.showInInspector}
          </button>
        </p>
      )}
    </>
  );
}

interface CellNotesProps {
  /** aimed at "my server": the address typed */
  ownAddress: string | null;
  /** what the cell file got wrong */
  problems: string[];
  /** the method the inputs name, when the catalog has none such */
  unknownMethod: string | null;
  /** the request side streams and Wirelab's runner sends it */
  viaRunnerOnly: boolean;
}

/** The lines above the request: where the call goes, what the cell file got wrong, why the runner calls. */
export function GrpcCellNotes({ ownAddress, problems, unknownMethod, viaRunnerOnly }: CellNotesProps) {
  const t = useStrings(grpcEditorStrings);
  return (
    <>
      {ownAddress !== null && (
        <p className="cell-message grpc-own-server-note" data-testid="grpc-own-server-note">
          {t.ownServerNote(ownAddress)}
        </p>
      )}
      {problems.length > 0 && (
        <p className="cell-message cell-message-error" role="alert">
          {problems.join('; ')}
        </p>
      )}
      {unknownMethod !== null && (
        <p className="cell-message cell-message-error" role="alert">
          {t.unknownMethod(unknownMethod)}
        </p>
      )}
      {viaRunnerOnly && (
        <p className="cell-message grpc-runner-note" data-testid="grpc-runner-note">
          {t.runnerNote}
        </p>
      )}
    </>
  );
}

interface CallButtonsProps {
  running: boolean;
  disabled: boolean;
  /** Wirelab's server makes the call (streamed requests, or "my server") */
  viaRunner: boolean;
  streamsRequests: boolean;
  fetchCall: { run(): void; cancel(): void };
  runner: { start(): void; startOnce(): void; send(): void; end(): void; cancel(): void };
}

/** The buttons the call's way needs: Run and Cancel for one request (fetch or runner), or the runner's stream controls. */
export function GrpcCallButtons({ running, disabled, viaRunner, streamsRequests, fetchCall, runner }: CallButtonsProps) {
  if (viaRunner && !streamsRequests) return <RunButtons running={running} disabled={disabled} onRun={runner.startOnce} onCancel={runner.cancel} />;
  if (viaRunner)
    return <RunnerButtons running={running} disabled={disabled} onStart={runner.start} onSend={runner.send} onEnd={runner.end} onCancel={runner.cancel} />;
  return <RunButtons running={running} disabled={disabled} onRun={fetchCall.run} onCancel={fetchCall.cancel} />;
}
