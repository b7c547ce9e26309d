import { ru } from './node-text.ts';
import type { ByteRange, WireNode } from './types.ts';

// A decoder layer that is downloaded the first time a connection needs it: a REST lesson's page
// never fetches the HTTP/2, protobuf or GraphQL decoders. Decoding stays synchronous: while a
// layer is on its way the decoders show a `decoder-loading` node over its bytes and ask for it;
// once it arrives, whoever decodes (web/inspector/capture-store.ts) hears it through
// `onLayerSettled` and decodes again. A layer that cannot load (the server went away, a stale
// chunk after a redeploy) shows a `decoder-unavailable` error node instead, never an exception.

type LayerState<T> = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; module: T } | { status: 'failed'; reason: string };

const settledListeners = new Set<() => void>();

/** Calls `listener` whenever a layer finished loading (or failed to); returns the unsubscribe. */
export function onLayerSettled(listener: () => void): () => void {
  settledListeners.add(listener);
  return () => settledListeners.delete(listener);
}

const allLayers: LazyLayer<unknown>[] = [];

export class LazyLayer<T> {
  private state: LayerState<T> = { status: 'idle' };
  private loading: Promise<T | undefined> | null = null;

  /** `name` as the inspector shows it ("HTTP/2 and HPACK"), `russianName` for the Russian interface. */
  constructor(
    readonly name: string,
    readonly russianName: string,
    private readonly loader: () => Promise<T>,
  ) {
    allLayers.push(this as LazyLayer<unknown>);
  }

  /** The layer if it is here; otherwise starts its download (once) and returns undefined. */
  get(): T | undefined {
    if (this.state.status === 'ready') return this.state.module;
    if (this.state.status === 'idle') void this.load();
    return undefined;
  }

  /** Why the layer could not load, once it failed. */
  get failure(): string | undefined {
    return this.state.status === 'failed' ? this.state.reason : undefined;
  }

  get ready(): boolean {
    return this.state.status === 'ready';
  }

  get loadingNow(): boolean {
    return this.state.status === 'loading';
  }

  /** Loads the layer (once); resolves with it, or undefined when it could not load. */
  load(): Promise<T | undefined> {
    if (this.state.status === 'ready') return Promise.resolve(this.state.module);
    this.loading ??= this.startLoading();
    return this.loading;
  }

  /** Installs the layer at once, already imported (decode-connection.ts: tests and tools decode with every layer). */
  provide(module: T): void {
    this.state = { status: 'ready', module };
  }

  /** The node a decoder puts over bytes this layer would read, while it loads or after it failed. */
  placeholder(range: ByteRange): WireNode {
    if (this.state.status === 'failed') {
      return ru(
        {
          kind: 'decoder-unavailable',
          label: `The ${this.name} decoder could not load: the bytes are shown raw`,
          value: this.state.reason,
          range,
          error: 'decoder-unavailable',
        },
        `Декодер ${this.russianName} не загрузился: байты показаны как есть`,
      );
    }
    return ru({ kind: 'decoder-loading', label: `Loading the ${this.name} decoder…`, range }, `Загружается декодер ${this.russianName}…`);
  }

  private async startLoading(): Promise<T | undefined> {
    this.state = { status: 'loading' };
    try {
      const module = await this.loader();
      this.state = { status: 'ready', module };
      return module;
    } catch (error) {
      this.state = { status: 'failed', reason: String((error as Error)?.message ?? error) };
      return undefined;
    } finally {
      for (const listener of settledListeners) listener();
    }
  }
}

/** Resolves once no layer is on its way: every download started so far has arrived or failed. */
export async function layersSettled(): Promise<void> {
  while (layersLoading()) await Promise.all(allLayers.map((layer) => (layer.loadingNow ? layer.load() : undefined)));
}

/** Whether some layer is still on its way (a decode made now may show `decoder-loading` nodes). */
export function layersLoading(): boolean {
  return allLayers.some((layer) => layer.loadingNow);
}
