import { useMemo, useState } from 'react';
import { socketIoConsoleSpecOf } from '../as-code/cell-spec.ts';
import { useStrings } from '../../kit/lang-context.ts';
import { CheckField, TextField } from '../console-kit/console-fields.tsx';
import { consoleCell, type ConsoleProps } from '../console-kit/console-cell.tsx';
import { useConsoleLog } from '../console-kit/console-log.tsx';
import { AsWideAsTheWidest, ConnectButton, ConsoleAlert, ConsoleShell, ConsoleToolbar, PresetRow, StateBadge } from '../console-kit/console-shell.tsx';
import { useConsoleDraft, type ConsoleDraft } from '../console-kit/use-console-draft.ts';
import { parseAuthInput, parseEmitInput } from './emit-input.ts';
import {
  parseSocketIoCell,
  SOCKET_IO_TRANSPORTS,
  socketIoDraftOf,
  type SocketIoCellConfig,
  type SocketIoDraft,
  type SocketIoPreset,
  type SocketIoTransport,
} from './sio-cell-config.ts';
import { socketIoConsoleStrings } from './strings.ts';
import { useSocketIo } from './use-socket-io.ts';
import { WirelabOnlyNote } from '../target-switch/target-switch.tsx';

export const SocketIoCell = consoleCell(parseSocketIoCell, SocketIoConsole);

function SocketIoConsole({ cellId, config, saveKey, onInspect }: ConsoleProps<SocketIoCellConfig>) {
  const t = useStrings(socketIoConsoleStrings);
  const log = useConsoleLog();
  const original = useMemo(() => socketIoDraftOf(config), [config]);
  const draft = useConsoleDraft(saveKey, original);
  const { namespace, authText, transports, event, argsText, withAck } = draft.draft;
  const [formError, setFormError] = useState<string | null>(null);
  const socket = useSocketIo(log);
  const { live, connected } = socket;

  const connect = () => {
    const auth = parseAuthInput(authText);
    if (!auth.ok) return setFormError(t.authError(auth.message));
    if (transports.length === 0) return setFormError(t.noTransport);
    setFormError(null);
    void socket.connect(namespace, auth.auth, transports);
  };
  const emit = (eventName: string, args: unknown[], ack: boolean) => setFormError(socket.emit(eventName, args, ack) ? null : t.notConnected);
  const emitTyped = () => {
    const input = parseEmitInput(event, argsText);
    if (!input.ok) return setFormError(t.emitError(input.error));
    emit(input.event, input.args, withAck);
  };
  const emitPreset = (preset: SocketIoPreset) => {
    draft.edit({ event: preset.event, argsText: JSON.stringify(preset.args), withAck: preset.ack });
    emit(preset.event, preset.args, preset.ack);
  };
  const toggleTransport = (name: SocketIoTransport) =>
    draft.edit({ transports: transports.includes(name) ? transports.filter((other) => other !== name) : [...transports, name] });

  return (
    <ConsoleShell cellId={cellId} kind="socket-io" label={t.consoleLabel(cellId)} log={log} onInspect={onInspect}>
      <ConsoleToolbar
        asCode={() => socketIoConsoleSpecOf(draft.draft, config.presets)}
        reset={{ changed: draft.changed, onReset: draft.reset, disabled: live }}
      >
        <TextField label={t.namespace} value={namespace} onChange={draft.field('namespace')} disabled={live} testId="sio-namespace" width="narrow" />
        <span className="rt-field" title={t.transportsHint}>
          {t.transports}
          {SOCKET_IO_TRANSPORTS.map((name) => (
            <CheckField
              key={name}
              label={name}
              checked={transports.includes(name)}
              onChange={() => toggleTransport(name)}
              disabled={live}
              testId={`sio-transport-${name}`}
            />
          ))}
        </span>
        <ConnectButton
          live={live}
          onConnect={connect}
          onDisconnect={socket.disconnect}
          labels={t}
          testIds={{ connect: 'sio-connect', disconnect: 'sio-disconnect' }}
        />
        <button type="button" className="button" onClick={socket.drop} disabled={!connected} title={t.dropHint} data-testid="sio-drop">
          {t.drop}
        </button>
        <StateBadge state={socket.state} label={t.state[socket.state]} labels={Object.values(t.state)} testId="sio-state" />
        {/* there from the start, as wide as its widest: appearing as the console connected, it wrapped the toolbar */}
        <span className="rt-field" data-testid="sio-transport" data-transport={socket.transport ?? undefined}>
          <AsWideAsTheWidest text={t.transport(socket.transport ?? '—')} all={SOCKET_IO_TRANSPORTS.map((name) => t.transport(name))} />
        </span>
      </ConsoleToolbar>
      <WirelabOnlyNote what={{ en: 'the Socket.IO console', ru: 'консоль Socket.IO' }} />
      <div className="rt-row">
        <TextField label={t.auth} title={t.authHint} value={authText} onChange={draft.field('authText')} disabled={live} testId="sio-auth" width="wide" />
      </div>
      <EmitRow draft={draft} connected={connected} onEmit={emitTyped} error={formError} />
      <PresetRow
        label={t.presets}
        presets={config.presets}
        render={(preset) => `${preset.event} ${JSON.stringify(preset.args)}${preset.ack ? ' ✓ack' : ''}`}
        onPick={emitPreset}
        disabled={!connected}
        title={t.presetHint}
        testId="sio-preset"
      />
      <div className="rt-row">
        <p className="rt-note">{t.dropNote}</p>
      </div>
    </ConsoleShell>
  );
}

/** The event to emit: its name, its arguments as a JSON array, with or without an ack. */
function EmitRow({ draft, connected, onEmit, error }: { draft: ConsoleDraft<SocketIoDraft>; connected: boolean; onEmit(): void; error: string | null }) {
  const t = useStrings(socketIoConsoleStrings);
  const { event, argsText, withAck } = draft.draft;
  return (
    <div className="rt-row">
      <TextField label={t.event} value={event} onChange={draft.field('event')} testId="sio-event" />
      <TextField label={t.args} value={argsText} onChange={draft.field('argsText')} testId="sio-args" width="wide" />
      <CheckField label={t.ack} title={t.ackHint} checked={withAck} onChange={draft.field('withAck')} testId="sio-ack" />
      <button type="button" className="button button-primary" onClick={onEmit} disabled={!connected} data-testid="sio-emit">
        {t.emit}
      </button>
      <ConsoleAlert message={error} />
    </div>
  );
}
