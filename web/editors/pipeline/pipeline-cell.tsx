import { useState } from 'react';
import { useLang, useStrings } from '../../kit/lang-context.ts';
import { consoleCell, type ConsoleProps } from '../console-kit/console-cell.tsx';
import { useConsoleLog, useFollowNewest } from '../console-kit/console-log.tsx';
import { ConsoleShell, StateBadge } from '../console-kit/console-shell.tsx';
import { orderLabel, type LabView, type NotificationView } from './lab-state.ts';
import { parsePipelineCell, type PipelineCellConfig } from './pipeline-cell-config.ts';
import './pipeline.css';
import { pipelineStrings } from './strings.ts';
import type { Delivered } from './use-lab-connection.ts';
import { usePipelineLab } from './use-pipeline-lab.ts';
import { WirelabOnlyNote } from '../target-switch/target-switch.tsx';

type Strings = (typeof pipelineStrings)['en'];
type Lab = ReturnType<typeof usePipelineLab>;
type Consumer = LabView['consumers'][string];

export const PipelineCell = consoleCell(parsePipelineCell, PipelineLab);

function PipelineLab({ cellId, config, onExchange, onInspect }: ConsoleProps<PipelineCellConfig>) {
  const t = useStrings(pipelineStrings);
  const log = useConsoleLog();
  const lab = usePipelineLab(log, onExchange);
  const show = new Set(config.panels);

  return (
    <ConsoleShell cellId={cellId} kind="pipeline" label={t.cellLabel(cellId)} log={log} onInspect={onInspect} className="pipeline-lab">
      <div className="rt-row rt-toolbar">
        <strong>{t.title}</strong>
        <StateBadge
          state={lab.labState === 'live' ? 'connected' : lab.labState}
          label={t.labState[lab.labState]}
          labels={Object.values(t.labState)}
          testId="pipeline-lab-state"
        />
        <span className="rt-field">{t.broker}</span>
        <StateBadge state={lab.brokerState} label={t.brokerState[lab.brokerState]} labels={Object.values(t.brokerState)} testId="pipeline-broker-state" />
      </div>
      <WirelabOnlyNote what={{ en: 'the pipeline lab', ru: 'лаборатория конвейера' }} />
      {(show.has('direct') || show.has('queue')) && <WaysPanel lab={lab} direct={show.has('direct')} queue={show.has('queue')} />}
      <div className="pipeline-section">
        <h3>{t.consumers}</h3>
        <ConsumersTable lab={lab} />
        {(show.has('fanout') || show.has('group')) && <AddConsumerRow lab={lab} fanout={show.has('fanout')} group={show.has('group')} />}
        {show.has('fanout') && <p className="rt-note">{t.fanoutHint}</p>}
      </div>
      {show.has('group') && <GroupPanel view={lab.lab} />}
      {show.has('retained') && (
        <div className="pipeline-section">
          <h3>{t.retained}</h3>
          <p className="rt-note">{t.retainedHint}</p>
          <div className="rt-row pipeline-plain-row">
            <button type="button" className="button" onClick={() => lab.publish(1, true, () => 'orders/latest')} data-testid="pipeline-publish-retained">
              {t.publishRetained}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => void lab.changeConsumer('late', 'PUT', { role: 'subscriber' })}
              data-testid="pipeline-add-late"
            >
              {t.addLate}
            </button>
          </div>
        </div>
      )}
      <NotificationsPanel notifications={lab.notifications} />
    </ConsoleShell>
  );
}

/** The two ways to the worker: call it over REST, or publish orders to the broker. */
function WaysPanel({ lab, direct, queue }: { lab: Lab; direct: boolean; queue: boolean }) {
  const t = useStrings(pipelineStrings);
  const [retain, setRetain] = useState(false);
  return (
    <div className="pipeline-ways">
      {direct && (
        <div className="pipeline-way">
          <h3>{t.direct}</h3>
          <p className="rt-note">{t.directHint}</p>
          <button type="button" className="button button-primary" onClick={() => void lab.callWorker()} data-testid="pipeline-call">
            {t.callWorker}
          </button>
        </div>
      )}
      {queue && (
        <div className="pipeline-way">
          <h3>{t.queue}</h3>
          <p className="rt-note">{t.queueHint}</p>
          <div className="rt-row pipeline-plain-row">
            <button type="button" className="button button-primary" onClick={() => lab.publish(1, retain)} data-testid="pipeline-publish">
              {t.publish}
            </button>
            <button type="button" className="button" onClick={() => lab.publish(5, retain)} data-testid="pipeline-publish-many">
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
  );
}

function ConsumersTable({ lab }: { lab: Lab }) {
  const t = useStrings(pipelineStrings);
  const consumers = lab.lab ? Object.entries(lab.lab.consumers) : [];
  const maxBacklog = lab.lab?.limits.maxBacklog ?? 1;
  return (
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
            <ConsumerRow key={name} name={name} consumer={consumer} maxBacklog={maxBacklog} changeConsumer={lab.changeConsumer} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One consumer: its role and partitions, state, delay (edited, then applied), processed, backlog, start/stop and remove. */
function ConsumerRow({
  name,
  consumer,
  maxBacklog,
  changeConsumer,
}: {
  name: string;
  consumer: Consumer;
  maxBacklog: number;
  changeConsumer: Lab['changeConsumer'];
}) {
  const t = useStrings(pipelineStrings);
  const lang = useLang();
  // the delay typed and not applied yet; undefined: the lab's own
  const [delay, setDelay] = useState<string | undefined>(undefined);
  const applyDelay = () => {
    if (delay === undefined) return;
    void changeConsumer(name, 'PUT', { delayMs: Number(delay) });
    setDelay(undefined);
  };
  return (
    <tr
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
        {consumer.partitions && (
          <div className="pipeline-small">{consumer.partitions.length > 0 ? t.partitions(consumer.partitions.join(', ')) : t.noPartitions}</div>
        )}
      </td>
      <td data-label={t.state}>
        <span className="rt-state" data-state={consumer.running ? 'running' : 'CLOSING'}>
          {consumer.running ? (consumer.busy ? t.busy : t.running) : t.stopped}
        </span>
        {consumer.error && <div className="pipeline-small pipeline-error">{consumer.error[lang]}</div>}
        {/* what the lab did by itself: reconnected or restarted the consumer (bilingual, from the server) */}
        {consumer.notice && (
          <div className="pipeline-small pipeline-notice" role="status" data-testid="pipeline-notice">
            {consumer.notice[lang]}
          </div>
        )}
      </td>
      <td data-label={t.delay}>
        <input
          className="rt-input rt-input-narrow"
          inputMode="numeric"
          value={delay ?? String(consumer.delayMs)}
          onChange={(event) => setDelay(event.target.value)}
          aria-label={`${t.delay}: ${name}`}
          data-testid="pipeline-delay"
        />
        <button type="button" className="button button-quiet rt-small" onClick={applyDelay} data-testid="pipeline-delay-apply">
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
          <button
            type="button"
            className="button rt-small"
            onClick={() => void changeConsumer(name, 'PUT', { running: !consumer.running })}
            data-testid="pipeline-toggle"
          >
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
  );
}

/** A new consumer's name, added as a subscriber of its own (fan-out) or a member of the group. */
function AddConsumerRow({ lab, fanout, group }: { lab: Lab; fanout: boolean; group: boolean }) {
  const t = useStrings(pipelineStrings);
  const [newName, setNewName] = useState('');
  const add = (role: 'subscriber' | 'member') => {
    const name = newName.trim();
    if (name === '') return;
    void lab.changeConsumer(name, 'PUT', { role });
    setNewName('');
  };
  return (
    <div className="rt-row pipeline-plain-row">
      <input
        className="rt-input"
        value={newName}
        onChange={(event) => setNewName(event.target.value)}
        placeholder="audit"
        aria-label={t.nameLabel}
        data-testid="pipeline-new-name"
        spellCheck={false}
      />
      {fanout && (
        <button type="button" className="button" onClick={() => add('subscriber')} data-testid="pipeline-add-subscriber" title={t.fanoutHint}>
          {t.addSubscriber}
        </button>
      )}
      {group && (
        <button type="button" className="button" onClick={() => add('member')} data-testid="pipeline-add-member">
          {t.addMember}
        </button>
      )}
    </div>
  );
}

// The partitions and the notifications sit in boxes of a set height from the start (the kit's
// .rt-log-body: scrolling inside, taller if the student pulls it), as a console's log does: a list
// that appeared with the group's first member, or grew with each notification, pushed the
// notifications, the log and the cells under the lab down while the student was clicking there.

function GroupPanel({ view }: { view: LabView | null }) {
  const t = useStrings(pipelineStrings);
  return (
    <div className="pipeline-section" data-testid="pipeline-group">
      <h3>{t.group(view?.group?.name ?? 'workers', view?.limits.partitions ?? 3)}</h3>
      <p className="rt-note">{t.groupHint}</p>
      {/* scrolls once pulled shorter, so the keyboard must reach it (axe scrollable-region-focusable);
          a group, not a landmark: a lesson has several labs, each with its boxes */}
      <div
        className="rt-log-body pipeline-list-box pipeline-partitions-box"
        role="group"
        aria-label={t.partitionsLabel}
        tabIndex={0}
        data-testid="pipeline-partitions"
      >
        {view?.group ? (
          <ul className="pipeline-partitions">
            {view.group.partitions.map((partition) => (
              <li key={partition.partition} data-testid="pipeline-partition" data-owner={partition.owner ?? ''}>
                <code>{t.partitionRow(partition.partition, partition.owner, partition.backlog)}</code>
              </li>
            ))}
          </ul>
        ) : (
          <p className="rt-log-empty">{t.noGroupYet}</p>
        )}
      </div>
    </div>
  );
}

/** The notifications, the newest last, followed as the log follows its newest line (useFollowNewest). */
function NotificationsPanel({ notifications }: { notifications: Delivered[] }) {
  const t = useStrings(pipelineStrings);
  const follow = useFollowNewest(notifications[notifications.length - 1]?.key);
  return (
    <div className="pipeline-section" data-testid="pipeline-notifications-panel">
      <h3>{t.notifications}</h3>
      {/* scrolls once full, so the keyboard must reach it (axe scrollable-region-focusable); a group */}
      <div
        className="rt-log-body pipeline-list-box"
        role="group"
        aria-label={t.notificationsLabel}
        tabIndex={0}
        data-testid="pipeline-notifications-box"
        {...follow}
      >
        {notifications.length === 0 ? (
          <p className="rt-log-empty">{t.noNotifications}</p>
        ) : (
          <ol className="pipeline-notifications" data-testid="pipeline-notifications" aria-live="polite">
            {notifications.map((notification) => (
              <li key={notification.key} data-testid="pipeline-notification" data-by={notification.by} data-via={notification.via}>
                <span>{t.notification(orderLabel(notification.order), notification.by)}</span>
                <span className="pipeline-small">{facts(t, notification).join(' · ')}</span>
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
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
