import { useMemo } from 'react';
import { sseSpecOf } from '../as-code/cell-spec.ts';
import { useStrings } from '../../kit/lang-context.ts';
import { SelectField, TextField } from '../console-kit/console-fields.tsx';
import { consoleCell, type ConsoleProps } from '../console-kit/console-cell.tsx';
import { useConsoleLog } from '../console-kit/console-log.tsx';
import { ConnectButton, ConsoleShell, ConsoleToolbar, StateBadge } from '../console-kit/console-shell.tsx';
import { useConsoleDraft } from '../console-kit/use-console-draft.ts';
import { parseSseCell, sseDraftOf, type SseCellConfig, type SseDraft } from './sse-cell-config.ts';
import { sseConsoleStrings } from './strings.ts';
import { useEventStream } from './use-sse.ts';
import { TargetSwitch } from '../target-switch/target-switch.tsx';

export const SseCell = consoleCell(parseSseCell, SseConsole);

function SseConsole({ cellId, config, saveKey, onExchange, onInspect }: ConsoleProps<SseCellConfig>) {
  const t = useStrings(sseConsoleStrings);
  const log = useConsoleLog();
  const original = useMemo(() => sseDraftOf(config), [config]);
  const draft = useConsoleDraft(saveKey, original);
  const { url, client } = draft.draft;
  const stream = useEventStream(log, onExchange);
  const { live, lastId } = stream;

  const target = () => {
    const parsedUrl = new URL(url, window.location.origin);
    return `${parsedUrl.pathname}${parsedUrl.search}`;
  };
  const connect = () => void (client === 'eventsource' ? stream.openEventSource(target()) : stream.openFetch(target(), null));
  // A page cannot make EventSource send an id it chose, so resuming on purpose needs fetch.
  const resume = () => void stream.openFetch(target(), stream.lastIdNow());

  return (
    <ConsoleShell cellId={cellId} kind="sse" label={t.consoleLabel(cellId)} log={log} onInspect={onInspect}>
      <ConsoleToolbar asCode={() => (url.trim() === '' ? null : sseSpecOf(url))} reset={{ changed: draft.changed, onReset: draft.reset, disabled: live }}>
        <TextField label={t.url} value={url} onChange={draft.field('url')} disabled={live} testId="sse-url" width="wide" />
        <SelectField<SseDraft['client']>
          label={t.client}
          title={t.clientHint}
          value={client}
          options={[
            { value: 'eventsource', label: t.eventSource },
            { value: 'fetch', label: t.fetchReader },
          ]}
          onChange={draft.field('client')}
          disabled={live}
          testId="sse-client"
        />
        <ConnectButton
          live={live}
          onConnect={connect}
          onDisconnect={stream.disconnect}
          labels={t}
          testIds={{ connect: 'sse-connect', disconnect: 'sse-disconnect' }}
        />
        <StateBadge state={stream.state} label={t.state[stream.state]} labels={Object.values(t.state)} testId="sse-state" />
        <span className="rt-field" data-testid="sse-last-id">
          {lastId !== null ? t.lastId(lastId) : t.noLastId}
        </span>
      </ConsoleToolbar>
      <div className="rt-row">
        <TargetSwitch verb="connect" />
      </div>
      <div className="rt-row">
        <button type="button" className="button" onClick={resume} disabled={live || lastId === null} title={t.reconnectHint} data-testid="sse-resume">
          {t.reconnect(lastId ?? '…')}
        </button>
        {/* a new fetch run stops the one reading now (or the EventSource) first */}
        <button type="button" className="button" onClick={resume} disabled={!live || lastId === null} title={t.dropClientHint} data-testid="sse-drop">
          {t.dropClient}
        </button>
        <p className="rt-note">{client === 'eventsource' ? t.eventSourceHides : t.clientHint}</p>
        <p className="rt-note">{t.dropUnavailable}</p>
      </div>
    </ConsoleShell>
  );
}
