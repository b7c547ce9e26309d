import { useEffect, useMemo, useRef, useState } from 'react';
import { useLang, useStrings, type Lang } from '../../app/lang-context.ts';
import { captureTimeNow, sessionReady } from '../../app/session.ts';
import { getCaptureStore } from '../../inspector/capture-store.ts';
import type { Selection } from '../../inspector/exchange-sections.ts';
import type { CellProps } from '../../lessons/cell-props.ts';
import { claimNextExchange } from '../console-kit/capture-links.ts';
import { BadCellConfig, ConsoleLog, inBothLanguages, useConsoleLog } from '../console-kit/console-log.tsx';
import '../console-kit/console-kit.css';
import './pipeline.css';
import { parsePipelineCell, type PipelineCellConfig } from './pipeline-cell-config.ts';
import { orderLabel, problemText, type LabView, type NotificationView } from './lab-state.ts';
import { joinLab, pageMark, type BrokerStatus, type LabStatus } from './lab-connection.ts';
import { pipelineStrings } from './strings.ts';

type Strings = (typeof pipelineStrings)['en'];
const say = (render: (t: Strings, lang: Lang) => string) => inBothLanguages<Strings>(pipelineStrings, render);

const LAB_PATH = '/api/v1/pipeline';
const NOTIFICATIONS_KEPT = 40;
/** Orders of this page, numbered from 1 across its cells. */
let lastOrder = 0;

export function PipelineCell({ cellId, initialText, onExchange, onInspect }: CellProps) {
  const parsed = useMemo(() => parsePipelineCell(initialText), [initialText]);
  if (!parsed.ok) return <BadCellConfig problems={parsed.problems} />;
  return <PipelineLab cellId={cellId} config={parsed.config} onExchange={onExchange} onInspect={onInspect} />;
}

interface Delivered extends NotificationView {
  key: number;
}

function PipelineLab({ cellId, config, onExchange, onInspect }: { cellId: string; config: PipelineCellConfig } & Pick<CellProps, 'onExchange' | 'onInspect'>) {
  const t = useStrings(pipelineStrings);
  const lang = useLang();
  const log = useConsoleLog();
  const [lab, setLab] = useState<LabView | null>(null);
  const [labState, setLabState] = useState<LabStatus>('connecting');
  const [brokerState, setBrokerState] = useState<BrokerStatus>('connecting');
  const [notifications, setNotifications] = useState<Delivered[]>([]);
  const [retain, setRetain] = useState(false);
  const [newName, setNewName] = useState('');
  const [delays, setDelays] = useState<Record<string, string>>({});
  const labConnection = useRef<ReturnType<typeof joinLab> | null>(null);
  const nextKey = useRef(1);
  const show = new Set(config.panels);

  useEffect(() => {
    const connection = joinLab({
      state: setLab,
      labStatus: setLabState,
      brokerStatus: setBrokerState,
      notification: (notification) => setNotifications((current) => [{ ...notification, key: nextKey.current++ }, ...current].slice(0, NOTIFICATIONS_KEPT)),
    });
    labConnection.current = connection;
    return () => {
      connection.leave();
      labConnection.current = null;
    };
  }, []);

  /** Finds the captured exchange of a request the page is about to send. */
  const watch = (method: string, target: string) => {
    const exchange = claimNextExchange(getCaptureStore(), { method, target, after: captureTimeNow(), accept: (candidate) => candidate.response !== undefined });
    void exchange.then((found) => {
      if (found) onExchange?.(found);
    });
    return async (): Promise<Selection | null> => {
      const found = await exchange;
      return found ? { conn: found.conn, index: found.index } : null;
    };
  };

  const callWorker = async () => {
    await sessionReady();
    const order = ++lastOrder;
    const path = `${LAB_PATH}/notifications`;
    const inspect = watch('POST', path);
    log.add({ kind: 'sent', badge: 'REST', text: say((t) => t.calling(order)), inspect, inspectLabel: say((t) => t.bytes) });
    const started = performance.now();
    try {
      const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order, text: pageMark }), credentials: 'same-origin' });
      const body: unknown = await response.json().catch(() => null);
      const ms = Math.round(performance.now() - started);
      if (response.status === 201) {
        log.add({ kind: 'received', badge: '201', text: say((t) => t.called(201, ms)), inspect, data: { event: 'rest-ok', status: '201' } });
      } else {
        const retryAfter = response.headers.get('retry-after');
        log.add({
          kind: 'error',
          badge: String(response.status),
          text: { en: t.callFailed(response.status, ms, retryAfter, problemText(body, 'en')), ru: pipelineStrings.ru.callFailed(response.status, ms, retryAfter, problemText(body, 'ru')) },
          inspect,
          data: { event: 'rest-failed', status: String(response.status) },
        });
      }
    } catch (error) {
      log.add({ kind: 'error', text: say((t) => t.networkFailed(error instanceof Error ? error.message : String(error))) });
    }
  };

  const publish = (count: number, topicOf: (order: number) => string = (order) => `orders/${order % 3}`, retained = retain) => {
    const broker = labConnection.current?.broker();
    if (!broker?.connected) {
      log.add({ kind: 'error', text: say((t) => t.notConnected) });
      return;
    }
    for (let i = 0; i < count; i++) {
      const order = ++lastOrder;
      const topic = topicOf(order);
      log.add({ kind: 'sent', badge: 'MQTT', text: say((t) => t.publishing(order, topic, retained)) });
      const started = performance.now();
      broker.publish(topic, JSON.stringify({ order, page: pageMark }), { qos: 1, retain: retained }, (error) => {
        const ms = Math.round(performance.now() - started);
        if (error) log.add({ kind: 'error', text: say((t) => t.publishFailed(error.message)) });
        else log.add({ kind: 'received', badge: 'PUBACK', text: say((t) => t.acked(ms)), data: { event: 'puback' } });
      });
    }
  };

  /** PUT or DELETE of a consumer; the lab's event stream shows the result, the log shows refusals. */
  const changeConsumer = async (name: string, method: 'PUT' | 'DELETE', body?: Record<string, unknown>) => {
    await sessionReady();
    const path = `${LAB_PATH}/consumers/${encodeURIComponent(name)}`;
    const inspect = watch(method, path);
    const shown = body ? JSON.stringify(body) : '';
    log.add({ kind: 'sent', badge: 'REST', text: say((t) => t.consumerRequest(method, name, shown)), inspect, inspectLabel: say((t) => t.bytes) });
    try {
      const response = await fetch(path, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
        credentials: 'same-origin',
      });
      if (response.ok) {
        if (response.status !== 204) setLab((await response.json()) as LabView);
        return;
      }
      const problem: unknown = await response.json().catch(() => null);
      log.add({
        kind: 'error',
        badge: String(response.status),
        text: { en: t.consumerFailed(response.status, problemText(problem, 'en')), ru: pipelineStrings.ru.consumerFailed(response.status, problemText(problem, 'ru')) },
        inspect,
      });
    } catch (error) {
      log.add({ kind: 'error', text: say((t) => t.networkFailed(error instanceof Error ? error.message : String(error))) });
    }
  };

  const add = (role: 'subscriber' | 'member') => {
    const name = newName.trim();
    if (name === '') return;
    void changeConsumer(name, 'PUT', { role });
    setNewName('');
  };

  const consumers = lab ? Object.entries(lab.consumers) : [];
  const maxBacklog = lab?.limits.maxBacklog ?? 1;

  return (
    <section className="rt-console pipeline-lab" data-testid="cell" data-cell-id={cellId} data-kind="pipeline" aria-label={t.cellLabel(cellId)} lang={lang}>
      <div className="rt-row rt-toolbar">
        <strong>{t.title}</strong>
        <span className="rt-state" data-testid="pipeline-lab-state" data-state={labState === 'live' ? 'connected' : labState}>
          {t.labState[labState]}
        </span>
        <span className="rt-field">{t.broker}</span>
        <span className="rt-state" data-testid="pipeline-broker-state" data-state={brokerState}>
          {t.brokerState[brokerState]}
        </span>
      </div>

      {(show.has('direct') || show.has('queue')) && (
        <div className="pipeline-ways">
          {show.has('direct') && (
            <div className="pipeline-way">
              <h3>{t.direct}</h3>
              <p className="rt-note">{t.directHint}</p>
              <button type="button" className="button button-primary" onClick={() => void callWorker()} data-testid="pipeline-call">
                {t.callWorker}
              </button>
            </div>
          )}
          {show.has('queue') && (
            <div className="pipeline-way">
              <h3>{t.queue}</h3>
              <p className="rt-note">{t.queueHint}</p>
              <div className="rt-row pipeline-plain-row">
                <button type="button" className="button button-primary" onClick={() => publish(1)} data-testid="pipeline-publish">
                  {t.publish}
                </button>
                <button type="button" className="button" onClick={() => publish(5)} data-testid="pipeline-publish-many">
                  {t.publishMany(5)}
                </button>
                <label className="rt-field">
                  <input type="checkbox" checked={retain} onChange={(event) => setRetain(event.target.checked)} data-testid="pipeline-retain" />
                  {t.retain}
                </label>
              </div>
            </div>
          )}
        </div>
      )}

      <div className="pipeline-section">
        <h3>{t.consumers}</h3>
        <div className="pipeline-table-scroll">
          <table className="pipeline-consumers">
            <thead>
              <tr>
                <th>{t.name}</th>
                <th>{t.role}</th>
                <th>{t.state}</th>
                <th>{t.delay}</th>
                <th>{t.processed}</th>
                <th title={t.backlogTitle(maxBacklog)}>{t.backlog}</th>
                <th>
                  <span className="visually-hidden">{t.actions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {consumers.map(([name, consumer]) => (
                <tr
                  key={name}
                  data-testid="pipeline-consumer"
                  data-name={name}
                  data-running={String(consumer.running)}
                  data-backlog={String(consumer.backlog)}
                  data-processed={String(consumer.processed)}
                >
                  <td data-label={t.name}>
                    <code>{name}</code>
                  </td>
                  <td data-label={t.role}>
                    {t.roleName[consumer.role]}
                    {consumer.partitions && <div className="pipeline-small">{consumer.partitions.length > 0 ? t.partitions(consumer.partitions.join(', ')) : t.noPartitions}</div>}
                  </td>
                  <td data-label={t.state}>
                    <span className="rt-state" data-state={consumer.running ? 'running' : 'CLOSING'}>
                      {consumer.running ? (consumer.busy ? t.busy : t.running) : t.stopped}
                    </span>
                    {consumer.error && <div className="pipeline-small pipeline-error">{consumer.error[lang]}</div>}
                    {/* what the lab did by itself: reconnected or restarted the consumer (bilingual, from the server) */}
                    {consumer.notice && <div className="pipeline-small pipeline-notice" role="status" data-testid="pipeline-notice">{consumer.notice[lang]}</div>}
                  </td>
                  <td data-label={t.delay}>
                    <input
                      className="rt-input rt-input-narrow"
                      inputMode="numeric"
                      value={delays[name] ?? String(consumer.delayMs)}
                      onChange={(event) => setDelays((current) => ({ ...current, [name]: event.target.value }))}
                      aria-label={`${t.delay}: ${name}`}
                      data-testid="pipeline-delay"
                    />
                    <button
                      type="button"
                      className="button button-quiet rt-small"
                      onClick={() => {
                        const value = delays[name];
                        if (value === undefined) return;
                        void changeConsumer(name, 'PUT', { delayMs: Number(value) });
                        setDelays(({ [name]: _applied, ...rest }) => rest);
                      }}
                      data-testid="pipeline-delay-apply"
                    >
                      {t.apply}
                    </button>
                  </td>
                  <td data-label={t.processed}>{consumer.processed}</td>
                  <td data-label={t.backlog}>
                    <div className="pipeline-backlog" title={t.backlogTitle(maxBacklog)}>
                      <div className="pipeline-backlog-bar" style={{ width: `${Math.min(100, (consumer.backlog / maxBacklog) * 100)}%` }} />
                      <span data-testid="pipeline-backlog">{consumer.backlog}</span>
                    </div>
                    {consumer.dropped > 0 && <div className="pipeline-small pipeline-error">{t.dropped(consumer.dropped)}</div>}
                  </td>
                  <td className="pipeline-actions-cell">
                    <div className="pipeline-actions">
                      <button type="button" className="button rt-small" onClick={() => void changeConsumer(name, 'PUT', { running: !consumer.running })} data-testid="pipeline-toggle">
                        {consumer.running ? t.stop : t.start}
                      </button>
                      {name !== 'notifier' && (
                        <button type="button" className="button button-quiet rt-small" onClick={() => void changeConsumer(name, 'DELETE')} data-testid="pipeline-remove">
                          {t.remove}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {(show.has('fanout') || show.has('group')) && (
          <div className="rt-row pipeline-plain-row">
            <input className="rt-input" value={newName} onChange={(event) => setNewName(event.target.value)} placeholder="audit" aria-label={t.nameLabel} data-testid="pipeline-new-name" spellCheck={false} />
            {show.has('fanout') && (
              <button type="button" className="button" onClick={() => add('subscriber')} data-testid="pipeline-add-subscriber" title={t.fanoutHint}>
                {t.addSubscriber}
              </button>
            )}
            {show.has('group') && (
              <button type="button" className="button" onClick={() => add('member')} data-testid="pipeline-add-member">
                {t.addMember}
              </button>
            )}
          </div>
        )}
        {show.has('fanout') && <p className="rt-note">{t.fanoutHint}</p>}
      </div>

      {show.has('group') && (
        <div className="pipeline-section">
          <h3>{t.group(lab?.group?.name ?? 'workers', lab?.limits.partitions ?? 3)}</h3>
          <p className="rt-note">{t.groupHint}</p>
          {lab?.group && (
            <ul className="pipeline-partitions">
              {lab.group.partitions.map((partition) => (
                <li key={partition.partition} data-testid="pipeline-partition" data-owner={partition.owner ?? ''}>
                  <code>{t.partitionRow(partition.partition, partition.owner, partition.backlog)}</code>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}

      {show.has('retained') && (
        <div className="pipeline-section">
          <h3>{t.retained}</h3>
          <p className="rt-note">{t.retainedHint}</p>
          <div className="rt-row pipeline-plain-row">
            <button type="button" className="button" onClick={() => publish(1, () => 'orders/latest', true)} data-testid="pipeline-publish-retained">
              {t.publishRetained}
            </button>
            <button type="button" className="button" onClick={() => void changeConsumer('late', 'PUT', { role: 'subscriber' })} data-testid="pipeline-add-late">
              {t.addLate}
            </button>
          </div>
        </div>
      )}

      <div className="pipeline-section">
        <h3>{t.notifications}</h3>
        {notifications.length === 0 ? (
          <p className="rt-note">{t.noNotifications}</p>
        ) : (
          <ol className="pipeline-notifications" data-testid="pipeline-notifications">
            {notifications.map((notification) => (
              <li key={notification.key} data-testid="pipeline-notification" data-by={notification.by} data-via={notification.via}>
                <span>{t.notification(orderLabel(notification.order), notification.by)}</span>
                <span className="pipeline-small">{facts(t, notification).join(' · ')}</span>
              </li>
            ))}
          </ol>
        )}
      </div>
      <ConsoleLog entries={log.entries} trimmed={log.trimmed} onClear={log.clear} onInspect={onInspect} />
    </section>
  );
}

function facts(t: Strings, notification: NotificationView): string[] {
  const list: string[] = [];
  if (notification.via === 'rest') list.push(t.facts.rest);
  if (notification.partition !== undefined) list.push(t.facts.partition(notification.partition));
  if (notification.queuedMs !== null) list.push(t.facts.queued(notification.queuedMs));
  if (notification.whileDown) list.push(t.facts.whileDown);
  if (notification.redelivered) list.push(t.facts.redelivered);
  if (notification.retained) list.push(t.facts.retained);
  if (notification.via === 'broker' && notification.backlog !== undefined) list.push(t.facts.left(notification.backlog));
  return list;
}
