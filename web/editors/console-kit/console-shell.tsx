import type { ReactNode } from 'react';
import { AsCodeButton } from '../as-code/as-code-button.tsx';
import type { AsCodeSpec } from '../as-code/spec.ts';
import { useLang } from '../../kit/lang-context.ts';
import type { Selection } from '../../inspector/exchange-sections.ts';
import { ResetDraftButton } from '../reset-draft-button.tsx';
import { ConsoleLog, type useConsoleLog } from './console-log.tsx';
import './console-kit.css';

// The frame every realtime console shares: the section the lesson page and the tests find
// (`data-testid="cell"`, `data-kind`), the toolbar that ends with "As code" and Reset, and the log.

/**
 * A console: its rows, then its log when it keeps one. `kind` is the cell kind
 * (`data-kind`), `label` names the console for screen readers.
 */
export function ConsoleShell({
  cellId,
  kind,
  label,
  log,
  onInspect,
  className,
  children,
}: {
  cellId: string;
  kind: string;
  label: string;
  log?: ReturnType<typeof useConsoleLog>;
  onInspect?: ((selection: Selection) => void) | undefined;
  className?: string;
  children: ReactNode;
}) {
  const lang = useLang();
  return (
    <section
      className={className ? `rt-console ${className}` : 'rt-console'}
      data-testid="cell"
      data-cell-id={cellId}
      data-kind={kind}
      aria-label={label}
      lang={lang}
    >
      {children}
      {log && <ConsoleLog entries={log.entries} trimmed={log.trimmed} onClear={log.clear} onInspect={onInspect} />}
    </section>
  );
}

/** Reset of a console whose draft is saved across reloads: disabled while it is connected. */
export interface DraftReset {
  changed: boolean;
  onReset(): void;
  disabled: boolean;
}

/**
 * The first row: the connection's fields and buttons (`children`), a spacer, what goes after it
 * (`end`), then "As code" (`asCode` is read when the dialog opens) and Reset — a console's own
 * Reset button as a node, or the draft's.
 */
export function ConsoleToolbar({
  children,
  end,
  asCode,
  reset,
  group,
}: {
  children: ReactNode;
  end?: ReactNode;
  asCode?: () => AsCodeSpec | null;
  reset?: DraftReset | ReactNode;
  group?: string;
}) {
  return (
    <div className="rt-row rt-toolbar" {...(group ? { role: 'group', 'aria-label': group } : {})}>
      {children}
      <span className="toolbar-spacer" />
      {end}
      {asCode && <AsCodeButton spec={asCode} />}
      {isDraftReset(reset) ? <ResetDraftButton changed={reset.changed} onReset={reset.onReset} disabled={reset.disabled} /> : reset}
    </div>
  );
}

function isDraftReset(reset: DraftReset | ReactNode): reset is DraftReset {
  return typeof reset === 'object' && reset !== null && 'onReset' in reset;
}

/** Connect while not live, Disconnect while live (a console calls them Start and Stop where that fits). */
export function ConnectButton({
  live,
  onConnect,
  onDisconnect,
  labels,
  testIds,
  connectDisabled = false,
  disconnectDisabled = false,
  disconnectTitle,
}: {
  live: boolean;
  onConnect(): void;
  onDisconnect(): void;
  labels: { connect: string; disconnect: string };
  testIds: { connect: string; disconnect: string };
  connectDisabled?: boolean;
  disconnectDisabled?: boolean;
  disconnectTitle?: string;
}) {
  // as wide either way: a label that changed width as the console connected re-wrapped the toolbar
  const both = [labels.connect, labels.disconnect];
  return live ? (
    <button type="button" className="button" data-testid={testIds.disconnect} onClick={onDisconnect} disabled={disconnectDisabled} title={disconnectTitle}>
      <AsWideAsTheWidest text={labels.disconnect} all={both} />
    </button>
  ) : (
    <button type="button" className="button button-primary" data-testid={testIds.connect} onClick={onConnect} disabled={connectDisabled}>
      <AsWideAsTheWidest text={labels.connect} all={both} />
    </button>
  );
}

/** The connection's state as a badge; `state` is what tests read (`data-state`), `label` what the reader sees. */
export function StateBadge({ state, label, testId, labels }: { state: string; label: string; testId?: string; labels?: readonly string[] }) {
  return (
    <span className="rt-state" data-testid={testId} data-state={state}>
      {labels ? <AsWideAsTheWidest text={label} all={labels} /> : label}
    </span>
  );
}

/**
 * Text that changes while a console is live (its state, its transport), as wide as the widest
 * of its forms from the start: a toolbar whose text grew as the console connected wrapped onto
 * another line and pushed the console's rows down under the pointer (the Socket.IO console in
 * Russian: 46 px as it connected).
 */
export function AsWideAsTheWidest({ text, all }: { text: string; all: readonly string[] }) {
  return (
    <span className="rt-widest">
      {all.map((each) => (
        <span key={each} className="rt-widest-sizer" aria-hidden="true">
          {each}
        </span>
      ))}
      <span>{text}</span>
    </span>
  );
}

/** A refusal the console explains before sending anything (announced: role="alert"). */
export function ConsoleAlert({ message, testId }: { message: string | null | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <p className="rt-error" role="alert" data-testid={testId}>
      {message}
    </p>
  );
}

/** The lesson's ready-made messages, one button each. */
export function PresetRow<P>({
  label,
  presets,
  render,
  onPick,
  disabled,
  title,
  testId,
}: {
  label: string;
  presets: readonly P[];
  render(preset: P): ReactNode;
  onPick(preset: P): void;
  disabled: boolean;
  title: string;
  testId: string;
}) {
  if (presets.length === 0) return null;
  return (
    <div className="rt-row">
      <span className="rt-field">{label}</span>
      <div className="rt-presets">
        {presets.map((preset, index) => (
          <button key={index} type="button" className="button rt-preset" data-testid={testId} onClick={() => onPick(preset)} disabled={disabled} title={title}>
            {render(preset)}
          </button>
        ))}
      </div>
    </div>
  );
}
