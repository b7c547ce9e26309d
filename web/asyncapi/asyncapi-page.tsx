import { useCallback, useEffect, useState } from 'react';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { Link } from '../kit/router.tsx';
import { appStrings } from '../kit/strings.ts';
import {
  asyncApiView,
  NotAsyncApiError,
  type AsyncApiView,
  type ChannelView,
  type MessageView,
  type OperationView,
  type SchemaNode,
} from './asyncapi-view-model.ts';
import { asyncApiStrings } from './strings.ts';
import './asyncapi.css';

/** Where the server serves the document (server/asyncapi/index.ts, ASYNCAPI_PATH). */
export const ASYNCAPI_DOCUMENT_URL = '/api/asyncapi.json';
/** The lesson section that teaches AsyncAPI (lessons/13-message-queues, `{#asyncapi}`). */
const TAUGHT_IN = { lesson: 'message-queues', section: 'asyncapi' };

type Strings = (typeof asyncApiStrings)['en'];
type LoadState = { status: 'loading' } | { status: 'failed'; message: string } | { status: 'ready'; view: AsyncApiView };

async function loadView(t: Strings): Promise<LoadState> {
  let response: Response;
  try {
    response = await fetch(ASYNCAPI_DOCUMENT_URL, { headers: { accept: 'application/json' } });
  } catch (error) {
    return { status: 'failed', message: t.failed(error instanceof Error ? error.message : String(error)) };
  }
  if (!response.ok) return { status: 'failed', message: t.failed(`HTTP ${response.status}`) };
  try {
    return { status: 'ready', view: asyncApiView(await response.json()) };
  } catch (error) {
    return { status: 'failed', message: error instanceof NotAsyncApiError ? t.notAsyncApi(error.what) : t.failed(String(error)) };
  }
}

/** The AsyncAPI document as a page: info, servers, channels (messages with their payload trees), operations. */
export function AsyncApiPage() {
  const lang = useLang();
  const t = useStrings(asyncApiStrings);
  const app = useStrings(appStrings);
  const [state, setState] = useState<LoadState>({ status: 'loading' });
  const load = useCallback(() => {
    setState({ status: 'loading' });
    let alive = true;
    loadView(asyncApiStrings[lang]).then((next) => alive && setState(next));
    return () => {
      alive = false;
    };
  }, [lang]);
  useEffect(load, [load]);
  useEffect(() => {
    document.title = `${t.pageTitle} — ${app.appName}`;
  }, [t, app]);

  return (
    <div className="asyncapi-page" data-testid="asyncapi-page" data-state={state.status}>
      <header className="lesson-header">
        <p className="asyncapi-kicker">{t.pageTitle}</p>
        <h1>{state.status === 'ready' ? state.view.title : t.pageTitle}</h1>
        <p className="lead">{t.lead}</p>
        <p>
          <a href={ASYNCAPI_DOCUMENT_URL}>{t.rawLink}</a> ·{' '}
          <Link href={`/${lang}/${TAUGHT_IN.lesson}#${TAUGHT_IN.section}`} data-testid="asyncapi-lesson-link">
            {t.taughtIn}
          </Link>
        </p>
      </header>
      {state.status === 'loading' && <p className="loading-note">{t.loading}</p>}
      {state.status === 'failed' && (
        <p className="cell-message cell-message-warning" role="alert">
          {state.message}{' '}
          <button type="button" className="link-button" onClick={load}>
            {t.retry}
          </button>
        </p>
      )}
      {state.status === 'ready' && <DocumentView view={state.view} />}
    </div>
  );
}

function DocumentView({ view }: { view: AsyncApiView }) {
  const t = useStrings(asyncApiStrings);
  return (
    <>
      <p className="asyncapi-version">
        AsyncAPI {view.asyncapi} · {view.version}
        {view.defaultContentType && ` · ${view.defaultContentType}`}
      </p>
      {view.description && <p className="asyncapi-description">{view.description}</p>}
      <nav aria-labelledby="asyncapi-contents" className="asyncapi-contents">
        <h2 id="asyncapi-contents">{t.contents}</h2>
        <ul>
          <li>
            <a href="#servers">{t.servers}</a> ({view.servers.length})
          </li>
          <li>
            <a href="#channels">{t.channels}</a> ({view.channels.length})
            <ul>
              {view.channels.map((channel) => (
                <li key={channel.id}>
                  <a href={`#channel-${channel.id}`}>
                    <code>{channel.address}</code>
                  </a>
                </li>
              ))}
            </ul>
          </li>
          <li>
            <a href="#operations">{t.operations}</a> ({view.operations.length})
          </li>
        </ul>
      </nav>
      <Servers view={view} />
      <section aria-labelledby="channels">
        <h2 id="channels">{t.channels}</h2>
        {view.channels.map((channel) => (
          <Channel key={channel.id} channel={channel} />
        ))}
      </section>
      <Operations operations={view.operations} channels={view.channels} />
    </>
  );
}

function Servers({ view }: { view: AsyncApiView }) {
  const t = useStrings(asyncApiStrings);
  return (
    <section aria-labelledby="servers">
      <h2 id="servers">{t.servers}</h2>
      {/* scrolls sideways on a phone, so the keyboard must reach it (axe scrollable-region-focusable) */}
      <div className="asyncapi-table-wrap" role="group" aria-labelledby="servers" tabIndex={0}>
        <table className="asyncapi-table">
          <thead>
            <tr>
              <th scope="col">{t.server}</th>
              <th scope="col">{t.protocol}</th>
              <th scope="col">{t.host}</th>
              <th scope="col">{t.description}</th>
            </tr>
          </thead>
          <tbody>
            {view.servers.map((server) => (
              <tr key={server.id} id={`server-${server.id}`} data-testid="asyncapi-server">
                <th scope="row">
                  <code>{server.id}</code>
                </th>
                <td>
                  {server.protocol}
                  {server.protocolVersion && ` ${server.protocolVersion}`}
                </td>
                <td>
                  <code>
                    {server.host}
                    {server.pathname}
                  </code>
                </td>
                <td>{server.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Channel({ channel }: { channel: ChannelView }) {
  const t = useStrings(asyncApiStrings);
  return (
    <section
      className="asyncapi-channel"
      id={`channel-${channel.id}`}
      aria-labelledby={`channel-${channel.id}-title`}
      data-testid="asyncapi-channel"
      data-address={channel.address}
    >
      <h3 id={`channel-${channel.id}-title`}>
        <code>{channel.address}</code>
      </h3>
      {channel.title && <p className="asyncapi-channel-title">{channel.title}</p>}
      {channel.description && <p>{channel.description}</p>}
      <dl className="asyncapi-facts">
        {channel.operations.length > 0 && (
          <>
            <dt>{t.operations}</dt>
            <dd>
              {channel.operations.map((operation) => (
                <span
                  key={operation.id}
                  className={`asyncapi-action is-${operation.action}`}
                  data-testid="asyncapi-channel-action"
                  data-action={operation.action}
                >
                  {t.actions[operation.action]} <code>{operation.id}</code>
                </span>
              ))}
            </dd>
          </>
        )}
        {channel.servers.length > 0 && (
          <>
            <dt>{t.onServers}</dt>
            <dd>
              {channel.servers.map((server, index) => (
                <span key={server}>
                  {index > 0 && ', '}
                  <a href={`#server-${server}`}>
                    <code>{server}</code>
                  </a>
                </span>
              ))}
            </dd>
          </>
        )}
      </dl>
      {channel.parameters.length > 0 && (
        <>
          <h4>{t.parameters}</h4>
          <dl className="asyncapi-facts">
            {channel.parameters.map((parameter) => (
              <div key={parameter.name}>
                <dt>
                  <code>{`{${parameter.name}}`}</code>
                </dt>
                <dd>
                  {parameter.description}
                  {parameter.enumValues && ` ${t.values}: ${parameter.enumValues.join(', ')}.`}
                  {parameter.examples.length > 0 && ` ${t.examples}: ${parameter.examples.join(', ')}.`}
                </dd>
              </div>
            ))}
          </dl>
        </>
      )}
      <h4>{t.messages}</h4>
      {channel.messages.map((message) => (
        <Message key={message.id} message={message} />
      ))}
    </section>
  );
}

function Message({ message }: { message: MessageView }) {
  const t = useStrings(asyncApiStrings);
  return (
    <details className="asyncapi-message" data-testid="asyncapi-message" data-name={message.name ?? message.id}>
      <summary>
        <code>{message.name ?? message.id}</code>
        {message.title && <span> — {message.title}</span>}
      </summary>
      {message.summary && <p>{message.summary}</p>}
      {message.contentType && (
        <p className="muted">
          {t.contentType}: <code>{message.contentType}</code>
        </p>
      )}
      <p className="asyncapi-payload-title">{t.payload}</p>
      {message.payload ? (
        <ul className="asyncapi-schema" data-testid="asyncapi-payload">
          <SchemaItem node={message.payload} />
        </ul>
      ) : (
        <p>{t.noPayload}</p>
      )}
      {message.examples.length > 0 && (
        <>
          <p className="asyncapi-payload-title">{t.messageExamples}</p>
          {message.examples.map((example, index) => (
            <figure key={index} className="asyncapi-example">
              {(example.name || example.summary) && <figcaption>{[example.name, example.summary].filter(Boolean).join(' — ')}</figcaption>}
              <pre>
                <code>{example.payload}</code>
              </pre>
            </figure>
          ))}
        </>
      )}
    </details>
  );
}

/** One node of a payload: `name` required · type (Component) format, its constraints and description, then its children. */
function SchemaItem({ node }: { node: SchemaNode }) {
  const t = useStrings(asyncApiStrings);
  const label = node.name ?? (node.role ? t.roles[node.role] : null);
  return (
    <li data-testid="asyncapi-schema-node" data-name={node.name}>
      <span className="asyncapi-node">
        {label !== null && (node.name ? <code className="asyncapi-node-name">{label}</code> : <em>{label}</em>)}
        {node.required && <span className="asyncapi-required"> {t.required}</span>}
        {/* a const or an enum says what the value is; "any value" only when nothing does */}
        {(node.type || (node.constValue === undefined && !node.enumValues)) && <span className="asyncapi-type"> {node.type || t.anyValue}</span>}
        {node.ref && <span className="asyncapi-ref"> ({node.ref})</span>}
        {node.format && <span className="muted"> {node.format}</span>}
        {node.constValue !== undefined && (
          <span>
            {' '}
            {t.constant} <code>{node.constValue}</code>
          </span>
        )}
        {node.enumValues && (
          <span>
            {' '}
            {t.oneOfValues} <code>{node.enumValues.join(', ')}</code>
          </span>
        )}
        {node.limits.length > 0 && <span className="muted"> · {node.limits.join(', ')}</span>}
        {node.truncated && <span className="muted"> · {node.ref ? t.repeated : t.deeper}</span>}
      </span>
      {node.description && <span className="asyncapi-node-description">{node.description}</span>}
      {node.children.length > 0 && (
        <ul>
          {node.children.map((child, index) => (
            <SchemaItem key={`${child.name ?? child.role}-${index}`} node={child} />
          ))}
        </ul>
      )}
    </li>
  );
}

function Operations({ operations, channels }: { operations: OperationView[]; channels: ChannelView[] }) {
  const t = useStrings(asyncApiStrings);
  return (
    <section aria-labelledby="operations">
      <h2 id="operations">{t.operations}</h2>
      <div className="asyncapi-table-wrap" role="group" aria-labelledby="operations" tabIndex={0}>
        <table className="asyncapi-table">
          <thead>
            <tr>
              <th scope="col">{t.operation}</th>
              <th scope="col">{t.action}</th>
              <th scope="col">{t.channel}</th>
              <th scope="col">{t.messages}</th>
              <th scope="col">{t.bindings}</th>
            </tr>
          </thead>
          <tbody>
            {operations.map((operation) => {
              const channel = channels.find((candidate) => candidate.id === operation.channelId);
              // an operation names its messages by their keys in the channel: shown by their names
              const names = operation.messages.map((key) => channel?.messages.find((message) => message.id === key)?.name ?? key);
              return (
                <tr key={operation.id} data-testid="asyncapi-operation" data-action={operation.action}>
                  <th scope="row">
                    <code>{operation.id}</code>
                    {operation.summary && <div>{operation.summary}</div>}
                  </th>
                  <td>
                    <code>{operation.action}</code>: {t.actions[operation.action]}
                  </td>
                  <td>
                    <a href={`#channel-${operation.channelId}`}>
                      <code>{channel?.address ?? operation.channelId}</code>
                    </a>
                  </td>
                  <td>{names.length > 0 ? names.join(', ') : t.allMessages}</td>
                  <td>{operation.bindings.join('; ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
