// Runs isolated: it needs the gRPC layer not yet loaded when the message is selected, and a file
// before it in a shared worker may have loaded every layer (decode-connection.ts installs them all).
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { connectionLayers, payloadLayerSources } from '../../wire/connection-decoders.ts';
import { readFixture } from '../../wire/fixtures/read-fixture.ts';
import type { WireMessage } from '../../wire/types.ts';
import { LangContext } from '../kit/lang-context.ts';
import { CaptureStore } from './capture-store.ts';
import type { Selection } from './exchange-sections.ts';
import { Inspector } from './inspector.tsx';
import { replaySteps } from './replay-steps.ts';

async function until(done: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 1000 && !done(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(done()).toBe(true);
}

const isFirstTrailers = (message: WireMessage) => message.layer === 'h2-frame' && message.dir === 'out' && /trailers grpc-status 0/.test(message.summary);

/** The row the inspector shows pressed, and the title of the detail it shows. */
function shown(store: CaptureStore, focus: Selection) {
  const html = renderToString(createElement(LangContext.Provider, { value: 'en' }, createElement(Inspector, { store, focus })));
  const pressed = /<button[^>]*data-testid="insp-message"[^>]*aria-pressed="true"[^>]*>([\s\S]*?)<\/button>/.exec(html);
  return pressed?.[0] ?? '';
}

describe('a selected message', () => {
  it('names the same bytes after a lazy layer (gRPC messages) arrives and renumbers the rows', async () => {
    await connectionLayers.http2.load();
    const store = new CaptureStore({
      url: 'ws://unused',
      socketFactory: () => {
        throw new Error('no socket in this test');
      },
    });
    const { fixture } = readFixture('grpc-unary');
    for (const conn of fixture.connections) store.apply({ type: 'connection', conn });
    store.apply({ type: 'chunks', chunks: fixture.chunks });
    await until(() => store.getSnapshot().messages.some(isFirstTrailers));

    // selected (as a click or a replay step names it) while the gRPC layer is still on its way
    const early = store.getSnapshot();
    expect(payloadLayerSources.grpc.ready).toBe(false);
    expect(early.messages.some((message) => message.layer === 'grpc-message')).toBe(false);
    const trailers = early.messages.find(isFirstTrailers)!;
    const [view] = early.connections;
    const [step] = replaySteps([{ connection: view.connection, exchanges: [], messages: [trailers] }]);
    expect(shown(store, step.selection)).toContain('trailers grpc-status 0');

    await until(() => (store.getSnapshot(), store.caughtUp()) && payloadLayerSources.grpc.ready);
    const late = store.getSnapshot();
    // the rows before it now include gRPC messages: its number moved
    expect(late.messages.find(isFirstTrailers)!.index).toBeGreaterThan(trailers.index);
    const row = shown(store, step.selection);
    expect(row).toContain('trailers grpc-status 0');
    expect(row).toContain(`data-layer="h2-frame"`);
    expect(row).toContain(`data-dir="out"`);
  });
});
