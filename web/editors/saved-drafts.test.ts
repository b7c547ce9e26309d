import { createElement, type ComponentType } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LangContext } from '../kit/lang-context.ts';
import type { CellProps } from './cell-props.ts';
import { LongPollCell } from './long-polling/long-polling-cell.tsx';
import { longPollDraftOf, parseLongPollCell } from './long-polling/poll-cell-config.ts';
import { ProtobufWorkbenchCell } from './protobuf-workbench/protobuf-workbench-cell.tsx';
import { findWorkbenchMessage, workbenchDraftOf, workbenchViewOf } from './protobuf-workbench/workbench-model.ts';
import { writeSavedCell } from './saved-cell-state.ts';
import { SocketIoCell } from './socket-io/socket-io-cell.tsx';
import { parseSocketIoCell, socketIoDraftOf } from './socket-io/sio-cell-config.ts';
import { SseCell } from './sse/sse-cell.tsx';
import { parseSseCell, sseDraftOf } from './sse/sse-cell-config.ts';
import { WebSocketCell } from './websocket/websocket-cell.tsx';
import { parseWebSocketCell, webSocketDraftOf } from './websocket/ws-cell-config.ts';

// The consoles and the protobuf workbench come back from a reload with the student's draft, as
// the HTTP, GraphQL and gRPC cells do: each cell is rendered as the page renders it after a
// reload, with a draft saved under its key, and must show the draft (and offer Reset).

const items = new Map<string, string>();
beforeEach(() => {
  items.clear();
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  });
});
afterEach(() => vi.unstubAllGlobals());

const render = (cell: ComponentType<CellProps>, initialText: string, saveKey = 'lesson/cell') =>
  renderToString(createElement(LangContext.Provider, { value: 'en' }, createElement(cell, { cellId: 'cell', initialText, saveKey })));

/** The `value` attribute of the element with this test id (inputs), or its text (text areas). */
function fieldOf(html: string, testId: string): string | undefined {
  const tag = new RegExp(`<(input|textarea|select)[^>]*data-testid="${testId}"[^>]*>`).exec(html);
  if (!tag) return undefined;
  if (tag[1] === 'textarea') return new RegExp(`data-testid="${testId}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1];
  return /value="([^"]*)"/.exec(tag[0])?.[1];
}
const resetDisabled = (html: string) => /<button[^>]*data-testid="cell-reset"[^>]*>/.exec(html)?.[0].includes('disabled');
const unescapeHtml = (text: string | undefined) =>
  text
    ?.replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x27;/g, "'");

describe('a realtime console after a reload', () => {
  it('WebSocket: the URL, subprotocols, the typed message and the close fields', () => {
    const text = JSON.stringify({ url: '/ws/echo', subprotocols: ['wirelab.chat.v1'] });
    const parsed = parseWebSocketCell(text);
    if (!parsed.ok) throw new Error(parsed.problems.join());
    const original = webSocketDraftOf(parsed.config);
    expect(resetDisabled(render(WebSocketCell, text))).toBe(true);
    writeSavedCell('lesson/cell', original, { ...original, url: '/ws/echo?x=1', message: 'hello again', mode: 'hex', closeCode: '4000', closeReason: 'done' });
    const html = render(WebSocketCell, text);
    expect(fieldOf(html, 'ws-url')).toBe('/ws/echo?x=1');
    expect(fieldOf(html, 'ws-message')).toBe('hello again');
    expect(fieldOf(html, 'ws-close-code')).toBe('4000');
    expect(fieldOf(html, 'ws-close-reason')).toBe('done');
    expect(/<input[^>]*data-testid="ws-mode-hex"[^>]*>/.exec(html)?.[0]).toContain('checked');
    expect(resetDisabled(html)).toBe(false);
    // another cell of the lesson keeps its own text
    expect(fieldOf(render(WebSocketCell, text, 'lesson/other'), 'ws-url')).toBe('/ws/echo');
  });

  it('Socket.IO: namespace, auth, transports and the event to emit', () => {
    const text = JSON.stringify({
      namespace: '/chat',
      auth: { name: 'ada' },
      transports: ['polling', 'websocket'],
      presets: [{ event: 'say', args: ['hi'], ack: true }],
    });
    const parsed = parseSocketIoCell(text);
    if (!parsed.ok) throw new Error(parsed.problems.join());
    const original = socketIoDraftOf(parsed.config);
    expect(fieldOf(render(SocketIoCell, text), 'sio-event')).toBe('say');
    writeSavedCell('lesson/cell', original, {
      ...original,
      namespace: '/other',
      authText: '{"name":"grace"}',
      transports: ['websocket'],
      event: 'shout',
      argsText: '["HI"]',
      withAck: false,
    });
    const html = render(SocketIoCell, text);
    expect(fieldOf(html, 'sio-namespace')).toBe('/other');
    expect(unescapeHtml(fieldOf(html, 'sio-auth'))).toBe('{"name":"grace"}');
    expect(fieldOf(html, 'sio-event')).toBe('shout');
    expect(unescapeHtml(fieldOf(html, 'sio-args'))).toBe('["HI"]');
    expect(/<input[^>]*data-testid="sio-transport-polling"[^>]*>/.exec(html)?.[0]).not.toContain('checked');
    expect(/<input[^>]*data-testid="sio-ack"[^>]*>/.exec(html)?.[0]).not.toContain('checked');
    expect(resetDisabled(html)).toBe(false);
  });

  it('SSE: the URL and the client', () => {
    const text = JSON.stringify({ url: '/api/v1/events' });
    const parsed = parseSseCell(text);
    if (!parsed.ok) throw new Error(parsed.problems.join());
    writeSavedCell('lesson/cell', sseDraftOf(parsed.config), { url: '/api/v1/events?topic=posts', client: 'fetch' });
    const html = render(SseCell, text);
    expect(fieldOf(html, 'sse-url')).toBe('/api/v1/events?topic=posts');
    expect(html).toMatch(/<option value="fetch" selected=""/);
    expect(resetDisabled(html)).toBe(false);
  });

  it('long polling: the URL, since and the hold time', () => {
    const text = JSON.stringify({ url: '/api/v1/poll' });
    const parsed = parseLongPollCell(text);
    if (!parsed.ok) throw new Error(parsed.problems.join());
    writeSavedCell('lesson/cell', longPollDraftOf(parsed.config), { url: '/api/v1/poll2', since: '7', hold: '5000' });
    const html = render(LongPollCell, text);
    expect(fieldOf(html, 'poll-url')).toBe('/api/v1/poll2');
    expect(fieldOf(html, 'poll-since')).toBe('7');
    expect(fieldOf(html, 'poll-hold')).toBe('5000');
    expect(resetDisabled(html)).toBe(false);
  });

  it('a lesson whose cell changed since the draft was saved starts from its new text', () => {
    const before = parseSseCell(JSON.stringify({ url: '/api/v1/events' }));
    if (!before.ok) throw new Error('bad cell');
    writeSavedCell('lesson/cell', sseDraftOf(before.config), { url: '/edited', client: 'eventsource' });
    expect(fieldOf(render(SseCell, JSON.stringify({ url: '/api/v1/stream' })), 'sse-url')).toBe('/api/v1/stream');
  });
});

describe('the protobuf workbench after a reload', () => {
  const typeName = 'wirelab.users.v1.User';
  const text = JSON.stringify({ message: typeName, value: { id: 1, name: 'Ada' } });
  const schema = findWorkbenchMessage(typeName);

  it('shows the edited JSON and its bytes', () => {
    const original = workbenchDraftOf(schema, typeName, JSON.stringify({ id: 1, name: 'Ada' }, null, 2));
    const edited = workbenchDraftOf(schema, typeName, '{ "id": 42, "name": "Grace" }');
    writeSavedCell('lesson/cell', original, edited);
    const html = render(ProtobufWorkbenchCell, text);
    expect(unescapeHtml(fieldOf(html, 'pbw-json-text'))).toBe('{ "id": 42, "name": "Grace" }');
    expect(fieldOf(html, 'pbw-hex')).toBe(edited.hexText);
    expect(html).toContain(`data-binary-size="${edited.hexText.split(' ').length}"`);
  });

  it('shows edited bytes, and a JSON that does not parse with its error', () => {
    const original = workbenchDraftOf(schema, typeName, JSON.stringify({ id: 1, name: 'Ada' }, null, 2));
    writeSavedCell('lesson/cell', original, { typeName, jsonText: '{ "id": ', hexText: '08 2a' });
    const html = render(ProtobufWorkbenchCell, text);
    expect(fieldOf(html, 'pbw-hex')).toBe('08 2a');
    expect(html).toContain('data-binary-size="2"');
    expect(html).toContain('data-testid="pbw-json-error"');
  });

  it('reads the view of a draft as the live workbench would show it', () => {
    const draft = workbenchDraftOf(schema, typeName, '{"id": 5}');
    expect(workbenchViewOf(schema, draft)).toMatchObject({ bytes: new Uint8Array([0x08, 0x05]), jsonError: null, hexError: null, jsonSize: 8 });
    const badHex = workbenchViewOf(schema, { ...draft, hexText: '0g' });
    expect(badHex.hexError?.en).toMatch(/hex digit/);
    expect(badHex.bytes).toEqual(new Uint8Array([0x08, 0x05]));
  });
});
