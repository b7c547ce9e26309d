import { useMemo } from 'react';
import { webSocketSpecOf } from '../as-code/cell-spec.ts';
import { useStrings } from '../../kit/lang-context.ts';
import { MessageBox, RadioField, TextField } from '../console-kit/console-fields.tsx';
import { consoleCell, type ConsoleProps } from '../console-kit/console-cell.tsx';
import { useConsoleLog } from '../console-kit/console-log.tsx';
import { AsWideAsTheWidest, ConnectButton, ConsoleAlert, ConsoleShell, ConsoleToolbar, PresetRow, StateBadge } from '../console-kit/console-shell.tsx';
import { clip, utf8Length } from '../console-kit/text.ts';
import { useConsoleDraft, type ConsoleDraft } from '../console-kit/use-console-draft.ts';
import { parseHex } from '../console-kit/hex.ts';
import { websocketConsoleStrings } from './strings.ts';
import { useWebSocket } from './use-websocket.ts';
import type { Outgoing } from './websocket-log-entries.ts';
import { useOwnTarget } from '../target-switch/own-target.ts';
import { TargetSwitch } from '../target-switch/target-switch.tsx';
import {
  parseWebSocketCell,
  SUBPROTOCOL_TOKEN,
  webSocketDraftOf,
  type WebSocketCellConfig,
  type WebSocketDraft,
  type WebSocketPreset,
} from './ws-cell-config.ts';

/** The control message of /ws/echo that cuts the TCP connection from the server side (server/protocols/websocket/README.md). */
const DROP_COMMAND = '{"wirelab":"drop"}';

export const WebSocketCell = consoleCell(parseWebSocketCell, WebSocketConsole);

function WebSocketConsole({ cellId, config, saveKey, onExchange, onInspect }: ConsoleProps<WebSocketCellConfig>) {
  const t = useStrings(websocketConsoleStrings);
  const log = useConsoleLog();
  const original = useMemo(() => webSocketDraftOf(config), [config]);
  const draft = useConsoleDraft(saveKey, original);
  const { url, protocols, message, mode } = draft.draft;
  const socket = useWebSocket(log, onExchange);
  const own = useOwnTarget();
  const protocolList = protocols
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const protocolsValid = protocolList.every((name) => SUBPROTOCOL_TOKEN.test(name)) && new Set(protocolList).size === protocolList.length;

  const sendTyped = () => {
    if (mode === 'text') return socket.send({ kind: 'text', text: message });
    const bytes = parseHex(message);
    if (!bytes.ok) return socket.setSendError(bytes.error);
    socket.send({ kind: 'binary', bytes: bytes.bytes });
  };
  const sendPreset = (preset: WebSocketPreset) => {
    if ('text' in preset) return socket.send({ kind: 'text', text: preset.text });
    const bytes = parseHex(preset.hex);
    if (bytes.ok) socket.send({ kind: 'binary', bytes: bytes.bytes });
  };
  // the message typed now, else the lesson's presets in order
  const asCode = () =>
    webSocketSpecOf({ url, subprotocols: protocolList, presets: message !== '' ? [mode === 'hex' ? { hex: message } : { text: message }] : config.presets });

  return (
    <ConsoleShell cellId={cellId} kind="websocket" label={t.consoleLabel(cellId)} log={log} onInspect={onInspect}>
      <ConsoleToolbar asCode={asCode} reset={{ changed: draft.changed, onReset: draft.reset, disabled: socket.live }}>
        <TextField label={t.url} value={url} onChange={draft.field('url')} disabled={socket.live} testId="ws-url" width="wide" />
        <TextField
          label={t.subprotocols}
          title={t.subprotocolsHint}
          value={protocols}
          onChange={draft.field('protocols')}
          disabled={socket.live}
          testId="ws-subprotocols"
          input={{ 'aria-invalid': !protocolsValid }}
        />
        <ConnectButton
          live={socket.live}
          onConnect={() => void socket.connect(url, protocolList, own)}
          onDisconnect={() => socket.close('', '')}
          labels={t}
          testIds={{ connect: 'ws-connect', disconnect: 'ws-disconnect' }}
          connectDisabled={!protocolsValid || url.trim() === ''}
          disconnectDisabled={!socket.open}
        />
        <StateBadge state={socket.state} label={t.state[socket.state] ?? socket.state} labels={Object.values(t.state)} testId="ws-state" />
        {/* there from the start, as wide as its widest: appearing as the socket opened, it wrapped the toolbar (Russian) */}
        <span className="rt-note-inline">
          <AsWideAsTheWidest
            text={!socket.open ? '' : socket.chosen ? t.chosenSubprotocol(socket.chosen) : t.noSubprotocol}
            all={[t.noSubprotocol, ...protocolList.map((protocol) => t.chosenSubprotocol(protocol))]}
          />
        </span>
      </ConsoleToolbar>
      <div className="rt-row">
        <TargetSwitch verb="connect" />
      </div>
      <MessageRow
        cellId={cellId}
        draft={draft}
        open={socket.open}
        onSend={sendTyped}
        error={socket.sendError === null ? null : socket.sendError === 'not-open' ? t.notOpen : t.hexError(socket.sendError)}
      />
      <PresetRow
        label={t.presets}
        presets={config.presets}
        render={(preset) => ('text' in preset ? clip(preset.text, 40) : `hex ${preset.hex}`)}
        onPick={sendPreset}
        disabled={!socket.open}
        title={t.presetHint}
        testId="ws-preset"
      />
      <CloseRow
        draft={draft}
        toWirelab={own.mode === 'wirelab'}
        open={socket.open}
        onClose={socket.close}
        onDrop={(outgoing) => socket.send(outgoing)}
        closeError={socket.closeError === null ? null : t.closeError(socket.closeError)}
      />
    </ConsoleShell>
  );
}

/** The message to send: text or hex bytes, its size, Send. */
function MessageRow({
  cellId,
  draft,
  open,
  onSend,
  error,
}: {
  cellId: string;
  draft: ConsoleDraft<WebSocketDraft>;
  open: boolean;
  onSend(): void;
  error: string | null;
}) {
  const t = useStrings(websocketConsoleStrings);
  const { message, mode } = draft.draft;
  return (
    <div className="rt-row">
      <MessageBox label={t.message} value={message} onChange={draft.field('message')} onSend={onSend} testId="ws-message" />
      <RadioField label={t.asText} name={`${cellId}-mode`} checked={mode === 'text'} onChoose={() => draft.edit({ mode: 'text' })} testId="ws-mode-text" />
      <RadioField label={t.asHex} name={`${cellId}-mode`} checked={mode === 'hex'} onChoose={() => draft.edit({ mode: 'hex' })} testId="ws-mode-hex" />
      {mode === 'text' && (
        <button
          type="button"
          className="button button-quiet rt-small"
          onClick={() => draft.edit({ message: message.repeat(10) })}
          disabled={message === ''}
          title={t.repeatHint}
        >
          {t.repeat}
        </button>
      )}
      {mode === 'text' && <span className="rt-field">{t.size(utf8Length(message))}</span>}
      <span className="toolbar-spacer" />
      <button type="button" className="button button-primary" data-testid="ws-send" onClick={onSend} disabled={!open}>
        {t.send}
      </button>
      <ConsoleAlert message={error} />
    </div>
  );
}

/** Close with a code and reason, and (on the echo endpoint) a drop without a close frame. */
function CloseRow({
  draft,
  toWirelab,
  open,
  onClose,
  onDrop,
  closeError,
}: {
  draft: ConsoleDraft<WebSocketDraft>;
  toWirelab: boolean;
  open: boolean;
  onClose(code: string, reason: string): void;
  onDrop(outgoing: Outgoing): void;
  closeError: string | null;
}) {
  const t = useStrings(websocketConsoleStrings);
  const { url, closeCode, closeReason } = draft.draft;
  // Only the echo endpoint obeys control messages; elsewhere the text would just be sent.
  const canAskServerToDrop = toWirelab && /^\/ws\/echo(?:[?#]|$)/.test(url.trim());
  return (
    <div className="rt-row">
      <TextField
        label={t.closeCode}
        title={t.closeCodeHint}
        value={closeCode}
        onChange={draft.field('closeCode')}
        testId="ws-close-code"
        width="narrow"
        input={{ inputMode: 'numeric', placeholder: '1000', spellCheck: undefined }}
      />
      <TextField label={t.closeReason} value={closeReason} onChange={draft.field('closeReason')} testId="ws-close-reason" input={{ spellCheck: undefined }} />
      <button type="button" className="button" onClick={() => onClose(closeCode, closeReason)} disabled={!open} data-testid="ws-close">
        {t.closeWithCode}
      </button>
      <ConsoleAlert message={closeError} />
      {canAskServerToDrop ? (
        <button
          type="button"
          className="button"
          onClick={() => onDrop({ kind: 'text', text: DROP_COMMAND })}
          disabled={!open}
          title={t.dropHint}
          data-testid="ws-drop"
        >
          {t.drop}
        </button>
      ) : (
        <p className="rt-note">{t.dropUnavailable}</p>
      )}
    </div>
  );
}
