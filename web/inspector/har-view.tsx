import { useState } from 'react';
import type { HarBody, HarEntry, HarFile, HarHeader } from '../../wire/capture-file/read-har.ts';
import type { CaptureFileStrings } from './capture-file-strings.ts';
import { formatClock, formatDuration } from './format.ts';
import type { InspectorStrings } from './strings.ts';

/**
 * A HAR file's requests as the browser saved them: headers and bodies as text, WebSocket messages.
 * No bytes, frames or connections are shown, because the file has none (the notice says so).
 */
export function HarView({ har, t, tf }: { har: HarFile; t: InspectorStrings; tf: CaptureFileStrings }) {
  const [picked, setPicked] = useState(0);
  const entry = har.entries[picked];
  return (
    <div className="insp-body" data-testid="insp-har">
      <p className="insp-notice" data-testid="insp-har-lacks">
        {tf.har.lacks}
      </p>
      <p className="insp-har-summary">
        {tf.har.summary(har.creator, har.entries.length)}
        {har.skippedEntries > 0 && <> · {tf.har.skipped(har.skippedEntries)}</>}
      </p>
      <div className="insp-timeline-pane">
        <ol className="insp-exchanges">
          {har.entries.map((item) => (
            <li key={item.index}>
              <button
                type="button"
                className="insp-row"
                data-testid="insp-har-entry"
                data-index={item.index}
                aria-pressed={item.index === picked}
                onClick={() => setPicked(item.index)}
              >
                <span className="insp-row-index">{item.index + 1}</span>
                <span className="insp-row-main">
                  <span>
                    {item.method} {item.url}
                  </span>
                </span>
                <span className="insp-badge" data-testid="insp-har-status">
                  {item.status || '—'}
                </span>
                <span className="insp-row-time">{formatClock(item.startedAt)}</span>
              </button>
            </li>
          ))}
        </ol>
      </div>
      {entry ? <HarEntryDetail entry={entry} t={t} tf={tf} /> : <p className="insp-empty">{tf.har.select}</p>}
    </div>
  );
}

function HarEntryDetail({ entry, t, tf }: { entry: HarEntry; t: InspectorStrings; tf: CaptureFileStrings }) {
  return (
    <div className="insp-har-detail" data-testid="insp-har-detail">
      <section className="insp-pane">
        <h3 className="insp-pane-title">
          {tf.har.request} · {entry.method} {entry.url} {entry.httpVersion}
          {entry.time !== undefined && <> · {tf.har.took(formatDuration(entry.time, t))}</>}
        </h3>
        <HarHeaders headers={entry.requestHeaders} tf={tf} />
        <HarBodyText body={entry.requestBody} tf={tf} />
      </section>
      <section className="insp-pane">
        <h3 className="insp-pane-title">
          {tf.har.response} · {entry.responseHttpVersion} {entry.status} {entry.statusText}
        </h3>
        <HarHeaders headers={entry.responseHeaders} tf={tf} />
        <HarBodyText body={entry.responseBody} tf={tf} />
      </section>
      {entry.webSocketMessages.length > 0 && (
        <section className="insp-pane">
          <h3 className="insp-pane-title">{tf.har.webSocketMessages(entry.webSocketMessages.length)}</h3>
          <ol className="insp-har-ws">
            {entry.webSocketMessages.map((message, index) => (
              <li key={index} data-testid="insp-har-ws" data-dir={message.dir}>
                <span className={message.dir === 'in' ? 'insp-dir-in' : 'insp-dir-out'}>
                  {message.dir === 'in' ? `→ ${tf.har.sent}` : `← ${tf.har.received}`}
                </span>{' '}
                <span className="insp-row-time">{formatClock(message.t)}</span> <code>{message.data}</code>
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}

function HarHeaders({ headers, tf }: { headers: HarHeader[]; tf: CaptureFileStrings }) {
  return (
    <details open>
      <summary>
        {tf.har.headers} ({headers.length})
      </summary>
      <dl className="insp-har-headers">
        {headers.map((header, index) => (
          <div key={index} data-testid="insp-har-header">
            <dt>{header.name}</dt>
            <dd>{header.value}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function HarBodyText({ body, tf }: { body: HarBody | undefined; tf: CaptureFileStrings }) {
  let text: string;
  if (!body || (body.text === undefined && !body.size)) text = tf.har.noBody;
  else if (body.text === undefined) text = tf.har.bodyNotSaved;
  else if (body.encoding === 'base64') text = tf.har.base64Body(body.size ?? Math.floor((body.text.length * 3) / 4));
  else text = body.text;
  return (
    <div className="insp-har-body">
      <div className="insp-tree-heading">
        {tf.har.body}
        {body?.mimeType ? ` · ${body.mimeType}` : ''}
      </div>
      <pre data-testid="insp-har-body">{text}</pre>
    </div>
  );
}
