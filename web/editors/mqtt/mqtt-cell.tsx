import { useMemo } from 'react';
import { useLang, useStrings } from '../../kit/lang-context.ts';
import { CheckField, MessageBox, RadioField, SelectField, TextField } from '../console-kit/console-fields.tsx';
import { consoleCell, type ConsoleProps } from '../console-kit/console-cell.tsx';
import { useConsoleLog } from '../console-kit/console-log.tsx';
import { ConnectButton, ConsoleAlert, ConsoleShell, ConsoleToolbar, StateBadge } from '../console-kit/console-shell.tsx';
import { useConsoleDraft, type ConsoleDraft } from '../console-kit/use-console-draft.ts';
import { describeJsonError } from '../json-error.ts';
import { parseMqttCell, type MqttCellConfig, type Qos } from './mqtt-cell-config.ts';
import { formOf, specOfForm, type FormError, type MqttForm } from './mqtt-form.ts';
import { encodePayload, PAYLOAD_FORMATS } from './payload.ts';
import { mqttConsoleStrings } from './strings.ts';
import { useMqttClient } from './use-mqtt-client.ts';
import { useOwnTarget } from '../target-switch/own-target.ts';
import { TargetSwitch } from '../target-switch/target-switch.tsx';

type Draft = ConsoleDraft<MqttForm>;
const QOS_OPTIONS = ([0, 1, 2] as const).map((qos) => ({ value: qos as Qos, label: String(qos) }));

export const MqttCell = consoleCell(parseMqttCell, MqttConsole);

function MqttConsole({ cellId, config, saveKey, onExchange, onInspect }: ConsoleProps<MqttCellConfig>) {
  const t = useStrings(mqttConsoleStrings);
  const log = useConsoleLog();
  const original = useMemo(() => formOf(config), [config]);
  const draft = useConsoleDraft<MqttForm>(saveKey, original);
  const form = draft.draft;
  const client = useMqttClient(log, onExchange);
  const own = useOwnTarget();
  const errorText = useFormErrorText();
  const busy = client.live;

  return (
    <ConsoleShell cellId={cellId} kind="mqtt" label={t.consoleLabel(cellId)} log={log} onInspect={onInspect}>
      <ConsoleToolbar
        group={t.connection}
        asCode={() => specOfForm(form)}
        end={
          <>
            <ConnectButton
              live={busy}
              onConnect={() => void client.connect(form, own)}
              onDisconnect={() => client.end('disconnect')}
              labels={t}
              testIds={{ connect: 'mqtt-connect', disconnect: 'mqtt-disconnect' }}
              disconnectTitle={t.disconnectHint}
            />
            {busy && (
              <button type="button" className="button" data-testid="mqtt-drop" onClick={() => client.end('drop')} title={t.dropHint}>
                {t.drop}
              </button>
            )}
            <StateBadge
              state={client.state === 'CONNECTED' ? 'connected' : client.state}
              label={t.state[client.state]}
              labels={Object.values(t.state)}
              testId="mqtt-state"
            />
          </>
        }
        reset={
          <button type="button" className="button button-quiet rt-small" onClick={draft.reset} disabled={busy} title={t.resetHint} data-testid="mqtt-reset">
            {t.reset}
          </button>
        }
      >
        <TextField label={t.clientId} title={t.clientIdHint} value={form.clientId} onChange={draft.field('clientId')} disabled={busy} testId="mqtt-client-id" />
        <CheckField label={t.clean} title={t.cleanHint} checked={form.clean} onChange={draft.field('clean')} disabled={busy} testId="mqtt-clean" />
        <TextField
          label={t.keepAlive}
          title={t.keepAliveHint}
          value={form.keepAlive}
          onChange={draft.field('keepAlive')}
          disabled={busy}
          testId="mqtt-keep-alive"
          width="narrow"
          input={{ inputMode: 'numeric', spellCheck: undefined }}
        />
        <CheckField label={t.will} title={t.willHint} checked={form.willOn} onChange={draft.field('willOn')} disabled={busy} testId="mqtt-will" />
      </ConsoleToolbar>
      <div className="rt-row">
        <TargetSwitch verb="connect" />
      </div>
      {form.willOn && <WillRow draft={draft} busy={busy} />}
      <ConsoleAlert message={errorText(client.connectError)} testId="mqtt-connect-error" />
      <SubscribeRow draft={draft} client={client} error={errorText(client.subscribeError)} />
      <PublishRow cellId={cellId} draft={draft} open={client.open} onPublish={() => client.publish(form)} error={errorText(client.publishError)} />
    </ConsoleShell>
  );
}

/** What a refusal says, in the reader's language. */
function useFormErrorText() {
  const t = useStrings(mqttConsoleStrings);
  const lang = useLang();
  return (error: FormError | null): string | null => {
    if (!error) return null;
    switch (error.kind) {
      case 'not-connected':
        return t.notConnected;
      case 'keep-alive':
        return t.keepAliveError;
      case 'client-id':
        return t.clientIdNeeded;
      case 'topic':
        return t.topicError(error.error, error.what);
      case 'payload':
        return error.error.format === 'hex' ? t.hexError(error.error.error) : t.jsonError(describeJsonError(error.error.message, lang, error.text));
    }
  };
}

/** The last will: the message the broker publishes for the client when it goes without DISCONNECT. */
function WillRow({ draft, busy }: { draft: Draft; busy: boolean }) {
  const t = useStrings(mqttConsoleStrings);
  const form = draft.draft;
  return (
    <div className="rt-row" role="group" aria-label={t.will}>
      <TextField label={t.willTopic} value={form.willTopic} onChange={draft.field('willTopic')} disabled={busy} testId="mqtt-will-topic" />
      <TextField label={t.willPayload} value={form.willPayload} onChange={draft.field('willPayload')} disabled={busy} testId="mqtt-will-payload" />
      <SelectField label={t.qos} value={form.willQos} options={QOS_OPTIONS} onChange={draft.field('willQos')} testId="mqtt-will-qos" />
      <CheckField
        label={t.retain}
        title={t.retainHint}
        checked={form.willRetain}
        onChange={draft.field('willRetain')}
        disabled={busy}
        testId="mqtt-will-retain"
      />
    </div>
  );
}

function SubscribeRow({ draft, client, error }: { draft: Draft; client: ReturnType<typeof useMqttClient>; error: string | null }) {
  const t = useStrings(mqttConsoleStrings);
  const form = draft.draft;
  const subscribe = () => client.subscribe(form.filter, form.subscribeQos);
  return (
    <div className="rt-row" role="group" aria-label={t.subscribeSection}>
      <TextField
        label={t.filter}
        title={t.filterHint}
        value={form.filter}
        onChange={draft.field('filter')}
        testId="mqtt-filter"
        width="wide"
        input={{ onKeyDown: (event) => event.key === 'Enter' && subscribe() }}
      />
      <SelectField label={t.qos} value={form.subscribeQos} options={QOS_OPTIONS} onChange={draft.field('subscribeQos')} testId="mqtt-subscribe-qos" />
      <button type="button" className="button button-primary" onClick={subscribe} disabled={!client.open} data-testid="mqtt-subscribe">
        {t.subscribe}
      </button>
      <button type="button" className="button" onClick={() => client.unsubscribe(form.filter)} disabled={!client.open} data-testid="mqtt-unsubscribe">
        {t.unsubscribe}
      </button>
      <span className="rt-note-inline" data-testid="mqtt-subscriptions">
        {t.subscriptions}:{' '}
        {client.subscriptions.length === 0
          ? t.noSubscriptions
          : client.subscriptions.map((item) => (
              <span key={item.filter} className="rt-log-badge" data-filter={item.filter}>
                {item.filter} · {t.granted(item.granted)}{' '}
                <button type="button" className="link-button" onClick={() => client.unsubscribe(item.filter)} aria-label={`${t.unsubscribe} ${item.filter}`}>
                  ×
                </button>
              </span>
            ))}
      </span>
      <ConsoleAlert message={error} testId="mqtt-subscribe-error" />
    </div>
  );
}

function PublishRow({ cellId, draft, open, onPublish, error }: { cellId: string; draft: Draft; open: boolean; onPublish(): void; error: string | null }) {
  const t = useStrings(mqttConsoleStrings);
  const form = draft.draft;
  const encoded = encodePayload(form.payload, form.format);
  return (
    <div className="rt-row" role="group" aria-label={t.publishSection}>
      <TextField label={t.topic} value={form.topic} onChange={draft.field('topic')} testId="mqtt-topic" width="wide" />
      {PAYLOAD_FORMATS.map((format) => (
        <RadioField
          key={format}
          label={t.format[format]}
          name={`${cellId}-format`}
          checked={form.format === format}
          onChoose={() => draft.edit({ format })}
          testId={`mqtt-format-${format}`}
        />
      ))}
      <MessageBox label={t.payload} value={form.payload} onChange={draft.field('payload')} onSend={onPublish} testId="mqtt-payload" />
      <SelectField label={t.qos} value={form.publishQos} options={QOS_OPTIONS} onChange={draft.field('publishQos')} testId="mqtt-publish-qos" />
      <CheckField label={t.retain} title={t.retainHint} checked={form.retain} onChange={draft.field('retain')} testId="mqtt-retain" />
      {encoded.ok && <span className="rt-field">{t.size(encoded.bytes.length)}</span>}
      <span className="toolbar-spacer" />
      <button type="button" className="button button-primary" onClick={onPublish} disabled={!open} data-testid="mqtt-publish">
        {t.publish}
      </button>
      <ConsoleAlert message={error} testId="mqtt-publish-error" />
    </div>
  );
}
