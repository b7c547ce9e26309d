import { useState } from 'react';
import type { WireMessage, WireNode } from '../../wire/types.ts';
import type { ConnectionView, InspectedExchange } from './capture-store.ts';
import { describeNode, messageSelection, sameSelection, type Selection } from './exchange-sections.ts';
import { clientPort, formatBytes, formatClock, formatDuration } from './format.ts';
import type { InspectorStrings } from './strings.ts';

/** A connection as the timeline shows it: the exchanges and notes that passed the filter. */
export interface TimelineConnection {
  view: ConnectionView;
  exchanges: InspectedExchange[];
  notes: Array<{ index: number; dir: 'in' | 'out'; node: WireNode }>;
  /** HTTP/2 frames, WebSocket frames… in byte order */
  messages: readonly WireMessage[];
  /**
   * Indexes of shown exchanges whose "bytes before this were not recorded" are the body of the
   * hidden exchange before them (an app file recorded head only): not theirs to be marked with.
   */
  gapsInHidden?: ReadonlySet<number>;
}

/** Rows of messages shown at first per connection: a chatty WebSocket has thousands (the newest win). */
const MESSAGE_ROWS = 100;

interface ExchangeTimelineProps {
  connections: readonly TimelineConnection[];
  selection: Selection | null;
  /** first byte of the selected request: the other rows show their distance to it */
  focusedAt: number | null;
  onSelect: (selection: Selection) => void;
  /** saves one connection as a pcapng file */
  onExport?: (connId: string) => void;
  t: InspectorStrings;
}

export function ExchangeTimeline({ connections, selection, focusedAt, onSelect, onExport, t }: ExchangeTimelineProps) {
  return (
    <ol className="insp-timeline">
      {connections.map(({ view, exchanges, notes, messages, gapsInHidden }) => {
        const { connection } = view;
        return (
          <li
            key={connection.id}
            className={`insp-conn${view.beforeRestart ? ' insp-conn-before-restart' : ''}`}
            data-testid="insp-connection"
            data-conn={connection.id}
            data-before-restart={view.beforeRestart ? 'true' : undefined}
          >
            <ConnectionHead view={view} onExport={onExport} t={t} />
            <ol className="insp-exchanges">
              {exchanges.map((exchange) => (
                <li key={exchange.index}>
                  <ExchangeRow
                    exchange={exchange}
                    gapInHidden={gapsInHidden?.has(exchange.index) ?? false}
                    selected={sameSelection(selection, { conn: connection.id, index: exchange.index })}
                    focusedAt={focusedAt}
                    onSelect={onSelect}
                    t={t}
                  />
                </li>
              ))}
              {messages.length > 0 && (
                <li>
                  <MessageList messages={messages} connection={view.connection} selection={selection} onSelect={onSelect} t={t} />
                </li>
              )}
              {notes.map((note) => (
                <li key={`note-${note.index}`}>
                  <button
                    type="button"
                    className="insp-row insp-note-row"
                    data-testid="insp-note"
                    data-kind={note.node.kind}
                    aria-pressed={sameSelection(selection, { conn: connection.id, note: note.index })}
                    onClick={() => onSelect({ conn: connection.id, note: note.index })}
                  >
                    <span className={note.dir === 'in' ? 'insp-dir-in' : 'insp-dir-out'} aria-hidden="true">
                      {note.dir === 'in' ? '→' : '←'}
                    </span>
                    <span className="insp-row-main">{describeNode(note.node, t).title}</span>
                    <span className="insp-row-size">{formatBytes(note.node.range.end - note.node.range.start, t)}</span>
                  </button>
                </li>
              ))}
            </ol>
          </li>
        );
      })}
    </ol>
  );
}

/** A connection's head line: its id, transport, ports, when it opened and closed, and its badges. */
function ConnectionHead({ view, onExport, t }: { view: ConnectionView; onExport?: (connId: string) => void; t: InspectorStrings }) {
  const { connection } = view;
  return (
    <div className="insp-conn-head">
      <span className="insp-conn-id">
        {t.connection} {connection.id}
      </span>
      {view.beforeRestart && (
        <span className="insp-badge insp-badge-before-restart" data-testid="insp-before-restart" title={t.beforeRestartHint}>
          {t.beforeRestart}
        </span>
      )}
      <span className="insp-badge">{connection.transport}</span>
      {connection.outbound && (
        <span className="insp-badge" data-testid="insp-outbound" title={t.outboundHint}>
          {t.outbound(connection.local)}
        </span>
      )}
      {connection.remote && (
        <span>
          {connection.outbound ? t.wirelabPort : t.clientPort} {clientPort(connection.remote)}
        </span>
      )}
      <span>
        {t.opened} {formatClock(connection.openedAt)}
      </span>
      {/* a connection of a server process that is gone is not "open", though its close was never recorded */}
      {(connection.closedAt !== undefined || !view.beforeRestart) && (
        <span>{connection.closedAt !== undefined ? `${t.closedAfter} ${formatDuration(connection.closedAt - connection.openedAt, t)}` : t.stillOpen}</span>
      )}
      {connection.unrecorded && (
        <span className="insp-badge insp-badge-warn" data-testid="insp-not-recorded">
          {t.notRecorded(connection.unrecorded.reason, formatBytes(connection.unrecorded.in, t), formatBytes(connection.unrecorded.out, t))}
        </span>
      )}
      {connection.undelivered && (
        <span className="insp-badge insp-badge-warn" data-testid="insp-connection-undelivered" title={t.undeliveredHint}>
          {t.undeliveredFrom(formatBytes((view.streams.out.end || connection.undelivered.from) - connection.undelivered.from, t))}
        </span>
      )}
      {connection.shared && (
        <span className="insp-badge insp-badge-warn" data-testid="insp-shared-connection" title={t.sharedConnectionHint}>
          {t.sharedConnection}
        </span>
      )}
      {onExport && (
        <button
          type="button"
          className="insp-button insp-conn-export"
          data-testid="insp-export-conn"
          title={t.exportOneConnectionHint(connection.id)}
          aria-label={t.exportOneConnectionHint(connection.id)}
          onClick={() => onExport(connection.id)}
        >
          {t.exportOneConnection}
        </button>
      )}
    </div>
  );
}

function MessageList({
  messages,
  connection,
  selection,
  onSelect,
  t,
}: {
  messages: readonly WireMessage[];
  connection: TimelineConnection['view']['connection'];
  selection: Selection | null;
  onSelect: (selection: Selection) => void;
  t: InspectorStrings;
}) {
  const [shown, setShown] = useState(MESSAGE_ROWS);
  const hidden = Math.max(0, messages.length - shown);
  return (
    <div className="insp-messages" data-testid="insp-messages">
      <div className="insp-messages-head">{t.messagesHeading(messages.length)}</div>
      {hidden > 0 && (
        <button type="button" className="insp-more" onClick={() => setShown((count) => count + MESSAGE_ROWS * 5)}>
          {t.earlierMessages(hidden)}
        </button>
      )}
      <ol className="insp-message-rows">
        {messages.slice(hidden).map((message) => (
          <li key={`${message.layer} ${message.dir} ${message.range.start}`}>
            <button
              type="button"
              className="insp-row insp-message-row"
              data-testid="insp-message"
              data-conn={message.conn}
              data-index={message.index}
              data-layer={message.layer}
              data-dir={message.dir}
              data-undelivered={message.undelivered ? 'true' : undefined}
              aria-pressed={sameSelection(selection, messageSelection(message))}
              onClick={() => onSelect(messageSelection(message))}
            >
              <span className={message.dir === 'in' ? 'insp-dir-in' : 'insp-dir-out'} title={message.dir === 'in' ? t.requestArrow : t.responseArrow}>
                {message.dir === 'in' ? '→' : '←'}
              </span>
              <span className="insp-badge">{message.layer}</span>
              <span className="insp-row-main">{t.wireSummary(message) ?? message.summary}</span>
              {message.undelivered && (
                <span className="insp-badge insp-badge-warn" data-testid="insp-undelivered" title={t.undeliveredHint}>
                  {t.undelivered}
                </span>
              )}
              <span className="insp-row-time" title={t.sinceOpen}>
                +{formatDuration(message.at - connection.openedAt, t)}
              </span>
              <span className="insp-row-size">{formatBytes(message.range.end - message.range.start, t)}</span>
            </button>
          </li>
        ))}
      </ol>
    </div>
  );
}

function ExchangeRow({
  exchange,
  gapInHidden,
  selected,
  focusedAt,
  onSelect,
  t,
}: {
  exchange: InspectedExchange;
  gapInHidden: boolean;
  selected: boolean;
  focusedAt: number | null;
  onSelect: (selection: Selection) => void;
  t: InspectorStrings;
}) {
  const { request, response, connection } = exchange;
  const requestSize = request.range.end - request.range.start;
  const responseSize = response ? response.range.end - response.range.start : 0;
  const sinceOpen = request.firstByteAt - connection.openedAt;
  return (
    <button
      type="button"
      className="insp-row"
      data-testid="insp-exchange"
      data-conn={exchange.conn}
      data-index={exchange.index}
      aria-pressed={selected}
      onClick={() => onSelect({ conn: exchange.conn, index: exchange.index })}
    >
      <span className="insp-row-index">#{exchange.index}</span>
      <span className="insp-row-main">
        <span className="insp-dir-in" title={t.requestArrow}>
          → <strong>{request.method}</strong> {request.target}
        </span>
        <span className="insp-dir-out" title={t.responseArrow}>
          ←{' '}
          {response ? (
            <strong className={`insp-status insp-status-${String(response.status).charAt(0)}`}>
              {response.status} {response.reason}
            </strong>
          ) : (
            <em>{t.noResponseYet}</em>
          )}
          {(!request.complete || (response && !response.complete)) && <em className="insp-incomplete"> · {t.incomplete}</em>}
          {exchange.upgrade && (
            <span className="insp-badge" title={t.upgradedTo(exchange.upgrade.protocol)}>
              ⇄ {exchange.upgrade.protocol}
            </span>
          )}
          {(request.afterGap || response?.afterGap) && !gapInHidden && <span className="insp-badge insp-badge-warn">{t.afterGap}</span>}
          {response?.undelivered && (
            <span className="insp-badge insp-badge-warn" data-testid="insp-undelivered" title={t.undeliveredHint}>
              {t.undelivered}
            </span>
          )}
        </span>
      </span>
      <span className="insp-row-time">
        <span title={t.sinceOpen}>+{formatDuration(sinceOpen, t)}</span>
        {focusedAt !== null && !selected && <span title={t.sinceFocused}>Δ {formatDuration(request.firstByteAt - focusedAt, t, true)}</span>}
      </span>
      <span className="insp-row-size">
        <span className="insp-dir-in" title={t.requestSize}>
          {formatBytes(requestSize, t)}
        </span>
        {response && (
          <span className="insp-dir-out" title={t.responseSize}>
            {formatBytes(responseSize, t)}
          </span>
        )}
      </span>
    </button>
  );
}
