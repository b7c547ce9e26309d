import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { LangContext } from '../kit/lang-context.ts';
import { loadAllLayers } from '../../wire/connection-decoders.ts';
import { readFixture } from '../../wire/fixtures/read-fixture.ts';
import { CaptureStore } from './capture-store.ts';
import { Inspector } from './inspector.tsx';

function storeWith(...names: string[]): CaptureStore {
  const store = new CaptureStore({
    url: 'ws://unused',
    socketFactory: () => {
      throw new Error('no socket in this test');
    },
  });
  for (const name of names) {
    const { fixture } = readFixture(name);
    for (const conn of fixture.connections) store.apply({ type: 'connection', conn });
    store.apply({ type: 'chunks', chunks: fixture.chunks });
  }
  return store;
}

const render = (store: CaptureStore, lang: 'ru' | 'en', focus?: { conn: string; index: number }) =>
  renderToString(createElement(LangContext.Provider, { value: lang }, createElement(Inspector, { store, focus })));

describe('<Inspector>', () => {
  // The page downloads each decoder layer when a connection first needs it (capture-store.test.ts
  // covers that); rendering once, as these tests do, needs them here already.
  beforeAll(loadAllLayers);

  it('renders the timeline, the tree and the hex of the newest exchange', () => {
    const store = storeWith('curl-get', 'curl-keep-alive');
    const html = render(store, 'en');
    expect(html).toContain('data-testid="inspector"');
    const conn = store.connections()[1].connection.id;
    expect(html).toContain(`data-testid="insp-exchange" data-conn="${conn}" data-index="1"`);
    expect(html).toMatch(/data-testid="insp-tree-node" data-kind="request-line"/);
    expect(html).toContain('GET /users/1 HTTP/1.1');
    expect(html).toMatch(/data-testid="insp-hex-byte" data-section="0" data-offset="0"[^>]*>47</);
    // the CR LF after the request line, visible in the ASCII column
    expect(html).toContain('␍');
    expect(html).toContain('␊');
  });

  it('renders the decoded tree as a WAI-ARIA tree with one tab stop, levels and open states', () => {
    const html = render(storeWith('curl-get'), 'en');
    const items = html.match(/<div role="treeitem"[^>]*>/g) ?? [];
    expect(items.length).toBeGreaterThan(3);
    // roving tabindex: the first node is the tree's only tab stop, every other node is reached by arrows
    expect(items.filter((item) => item.includes('tabindex="0"'))).toEqual([items[0]]);
    expect(items.filter((item) => item.includes('tabindex="-1"')).length).toBe(items.length - 1);
    expect(items[0]).toMatch(/aria-level="1"[^>]*aria-expanded="true"[^>]*aria-selected="true"/);
    expect(items.some((item) => /aria-level="2"/.test(item) && !item.includes('aria-expanded'))).toBe(true);
    expect(html).toContain('aria-live="polite" data-testid="insp-bytes-announcement"');
  });

  it('follows `focus` and speaks Russian', () => {
    const store = storeWith('curl-keep-alive');
    const conn = store.connections()[0].connection.id;
    const html = render(store, 'ru', { conn, index: 0 });
    expect(html).toContain('Что прошло по сети');
    expect(html).toContain('GET /hello HTTP/1.1');
    expect(html).not.toContain('GET /users/1 HTTP/1.1</span>');
    expect(html).toContain('Строка запроса');
  });

  it('hides the app traffic by default and counts it', () => {
    const store = new CaptureStore({
      url: 'ws://unused',
      socketFactory: () => {
        throw new Error('unused');
      },
    });
    const request = 'GET /_wirelab/session HTTP/1.1\r\nHost: x\r\n\r\n';
    store.apply({ type: 'connection', conn: { id: 'c1', transport: 'http/1.1', remote: '127.0.0.1:1', local: '127.0.0.1:2', openedAt: 1 } });
    store.apply({ type: 'chunks', chunks: [{ conn: 'c1', seq: 1, dir: 'in', t: 2, offset: 0, data: Buffer.from(request).toString('base64') }] });
    const html = render(store, 'en');
    expect(html).not.toContain('data-testid="insp-exchange"');
    expect(html).toContain('1 app requests hidden');
  });

  it("lists an h2c connection's HTTP/2 units (here the client preface) as messages", () => {
    const store = new CaptureStore({
      url: 'ws://unused',
      socketFactory: () => {
        throw new Error('unused');
      },
    });
    store.apply({ type: 'connection', conn: { id: 'c9', transport: 'h2c', remote: '127.0.0.1:1', local: '127.0.0.1:2', openedAt: 1 } });
    store.apply({
      type: 'chunks',
      chunks: [{ conn: 'c9', seq: 1, dir: 'in', t: 2, offset: 0, data: Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n').toString('base64') }],
    });
    const html = render(store, 'en');
    expect(html).toContain('data-layer="h2-preface"');
    expect(html).toContain('h2c');
  });
});

describe('messages of other layers', () => {
  it('lists them under their connection and shows the selected one with its bytes', async () => {
    const { ExchangeTimeline } = await import('./exchange-timeline.tsx');
    const { messageSections } = await import('./exchange-sections.ts');
    const { assembleConnection } = await import('../../wire/stream-assembler.ts');
    const { inspectorStrings } = await import('./strings.ts');
    const connection = { id: 'c4', transport: 'http/1.1' as const, remote: '127.0.0.1:5', local: '127.0.0.1:6', openedAt: 1000 };
    const streams = assembleConnection(
      'c4',
      [{ conn: 'c4', seq: 1, dir: 'in', t: 1001, offset: 0, data: new Uint8Array([0x81, 0x82, 1, 2, 3, 4, 0x69, 0x6b]) }],
      false,
    );
    const message = {
      conn: 'c4',
      index: 0,
      dir: 'in' as const,
      layer: 'test-frame',
      summary: 'text · 2 B',
      at: 1001,
      range: { start: 0, end: 8 },
      tree: {
        kind: 'test-frame',
        label: 'Frame',
        value: 'text',
        range: { start: 0, end: 8 },
        children: [{ kind: 'test-opcode', label: 'Opcode', value: '1', range: { start: 0, end: 1 } }],
      },
    };
    const view = { connection, exchanges: [], notes: [], messages: [message], streams, bytes: 8 };
    const html = renderToString(
      createElement(ExchangeTimeline, {
        connections: [{ view, exchanges: [], notes: [], messages: [message] }],
        selection: { conn: 'c4', message: { layer: 'test-frame', dir: 'in' as const, start: 0 } },
        focusedAt: null,
        onSelect: () => undefined,
        t: inspectorStrings.en,
      }),
    );
    expect(html).toContain('data-testid="insp-message" data-conn="c4" data-index="0" data-layer="test-frame" data-dir="in" aria-pressed="true"');
    expect(html).toContain('text · 2 B');
    const [section] = messageSections(message, view, inspectorStrings.en);
    expect([...section.bytes]).toEqual([0x81, 0x82, 1, 2, 3, 4, 0x69, 0x6b]);
    expect(section.title).toBe('test-frame · text · 2 B · client → server');
  });

  it('marks frames the server wrote after the client had gone as not delivered, in both languages', async () => {
    const { ExchangeTimeline } = await import('./exchange-timeline.tsx');
    const { assembleConnection } = await import('../../wire/stream-assembler.ts');
    const { inspectorStrings } = await import('./strings.ts');
    const connection = {
      id: 'c5',
      transport: 'h2c' as const,
      remote: '127.0.0.1:5',
      local: '127.0.0.1:6',
      openedAt: 1000,
      undelivered: { from: 4, reason: 'peer-closed' as const },
    };
    const streams = assembleConnection('c5', [{ conn: 'c5', seq: 1, dir: 'out', t: 1001, offset: 0, data: new Uint8Array(8) }], true);
    const frame = (index: number, start: number, undelivered: boolean) => ({
      conn: 'c5',
      index,
      dir: 'out' as const,
      layer: 'test-frame',
      summary: `frame ${index}`,
      at: 1001,
      range: { start, end: start + 4 },
      tree: { kind: 'test-frame', label: 'Frame', range: { start, end: start + 4 } },
      ...(undelivered ? { undelivered: true as const } : {}),
    });
    const messages = [frame(0, 0, false), frame(1, 4, true)];
    const view = { connection, exchanges: [], notes: [], messages, streams, bytes: 8 };
    const html = (lang: 'en' | 'ru') =>
      renderToString(
        createElement(ExchangeTimeline, {
          connections: [{ view, exchanges: [], notes: [], messages }],
          selection: null,
          focusedAt: null,
          onSelect: () => undefined,
          t: inspectorStrings[lang],
        }),
      );
    expect(html('en').match(/data-testid="insp-undelivered"/g)).toHaveLength(1);
    expect(html('en')).toContain('>not delivered<');
    expect(html('en')).toContain('4 B not delivered: written after the client had gone');
    expect(html('ru')).toContain('>не доставлено<');
    expect(html('ru')).toContain('4 Б не доставлено: записано, когда клиента уже не было');
  });

  it('says a connection was not recorded from its start, and why, in both languages', () => {
    const store = new CaptureStore({
      url: 'ws://unused',
      socketFactory: () => {
        throw new Error('unused');
      },
    });
    const unrecorded = { in: 2048, out: 300, reason: 'no-session' as const };
    store.apply({ type: 'connection', conn: { id: 'c4', transport: 'http/1.1', remote: '127.0.0.1:1', local: '127.0.0.1:2', openedAt: 1, unrecorded } });
    const request = 'GET /api/v1/users HTTP/1.1\r\nHost: x\r\n\r\n';
    store.apply({ type: 'chunks', chunks: [{ conn: 'c4', seq: 1, dir: 'in', t: 2, offset: 2048, data: Buffer.from(request).toString('base64') }] });
    const english = render(store, 'en');
    expect(english).toContain('data-testid="insp-not-recorded"');
    expect(english).toContain('not recorded: the requests before named no session (the first 2.0 KB client → server, 300 B server → client)');
    expect(render(store, 'ru')).toContain(
      'не записано: предыдущие запросы не указывали сессию (первые 2.0 КБ от клиента к серверу, 300 Б от сервера к клиенту)',
    );
  });

  it('marks a connection Wirelab opened to the student’s own server, and names its client port Wirelab’s, in both languages', () => {
    const store = new CaptureStore({
      url: 'ws://unused',
      socketFactory: () => {
        throw new Error('unused');
      },
    });
    store.apply({
      type: 'connection',
      conn: { id: 'c7', transport: 'http/1.1', remote: '127.0.0.1:41000', local: '127.0.0.1:8000', openedAt: 1, outbound: true },
    });
    store.apply({ type: 'connection', conn: { id: 'c8', transport: 'http/1.1', remote: '127.0.0.1:42000', local: '127.0.0.1:8080', openedAt: 2 } });
    const request = Buffer.from('GET /api/v1/users HTTP/1.1\r\nHost: x\r\n\r\n').toString('base64');
    store.apply({ type: 'chunks', chunks: ['c7', 'c8'].map((conn, i) => ({ conn, seq: i + 1, dir: 'in' as const, t: 3, offset: 0, data: request })) });
    const english = render(store, 'en');
    expect(english.match(/data-testid="insp-outbound"/g)).toHaveLength(1);
    expect(english).toContain('Wirelab → your server 127.0.0.1:8000');
    expect(english).toContain('Wirelab’s port<!-- --> <!-- -->41000');
    expect(english).toContain('client port<!-- --> <!-- -->42000');
    const russian = render(store, 'ru');
    expect(russian).toContain('Wirelab → ваш сервер 127.0.0.1:8000');
    expect(russian).toContain('порт Wirelab<!-- --> <!-- -->41000');
  });
});
