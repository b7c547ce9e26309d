import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { Level } from 'level';
import { describe, expect, it } from 'vitest';
import { levelPersistence, limitQueuedMessages, skipCleanSessionAcks, type BrokerPersistence } from './broker-persistence.ts';

/** A store whose writes take a few turns of the event loop, as a network store's do. */
function slowStore(): BrokerPersistence & { queues: Map<string, unknown[]> } {
  const queues = new Map<string, unknown[]>();
  return {
    queues,
    async outgoingEnqueueCombi(subs, packet) {
      await tick();
      await tick();
      for (const { clientId } of subs) queues.set(clientId, [...(queues.get(clientId) ?? []), packet]);
    },
    outgoingStream: (client) => Readable.from(queues.get(client.id) ?? []),
    outgoingClearMessageId: async () => undefined,
    delWill: async () => undefined,
    destroy: async () => undefined,
  };
}

describe('limitQueuedMessages', () => {
  it('keeps a session to its bound even when its messages come all at once', async () => {
    const store = slowStore();
    const dropped: string[] = [];
    limitQueuedMessages(store, 3, (clientId) => dropped.push(clientId));
    await Promise.all([1, 2, 3, 4, 5].map((n) => store.outgoingEnqueueCombi([{ clientId: 'worker' }], n)));
    expect(store.queues.get('worker')).toEqual([1, 2, 3]);
    expect(dropped).toEqual(['worker', 'worker']);
  });

  it('bounds each session by its own count when one message goes to several', async () => {
    const store = slowStore();
    store.queues.set('full', ['old', 'old']);
    limitQueuedMessages(
      store,
      (clientId) => (clientId === 'full' ? 2 : 10),
      () => undefined,
    );
    await Promise.all([store.outgoingEnqueueCombi([{ clientId: 'full' }, { clientId: 'free' }], 'a'), store.outgoingEnqueueCombi([{ clientId: 'free' }], 'b')]);
    expect(store.queues.get('full')).toEqual(['old', 'old']);
    expect(store.queues.get('free')).toEqual(['a', 'b']);
  });

  it('uses the store’s own count where it has one', async () => {
    const store = slowStore();
    const asked: Array<[string, number]> = [];
    store.countQueued = async (clientId, max) => {
      asked.push([clientId, max]);
      return 7;
    };
    limitQueuedMessages(store, 7, () => undefined);
    await store.outgoingEnqueueCombi([{ clientId: 'worker' }], 'x');
    expect(asked).toEqual([['worker', 7]]);
    expect(store.queues.get('worker')).toBeUndefined();
  });
});

describe('levelPersistence', () => {
  it('says the data folder is in use when another Wirelab holds it, instead of crashing inside the store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirelab-level-'));
    const other = new Level(dir);
    await other.open();
    try {
      await expect(levelPersistence(dir)).rejects.toThrow(/in use by another Wirelab.*DATA_DIR.*занята другим Wirelab/s);
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens a free folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirelab-level-'));
    const store = await levelPersistence(dir);
    await store.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('skipCleanSessionAcks', () => {
  it("answers a clean session's PUBACK without the store, and passes on a persistent session's and a clean CONNECT's clearing", async () => {
    const store = slowStore();
    const asked: string[] = [];
    store.outgoingClearMessageId = async (client, packet) => {
      asked.push(`${client.id}:${packet.cmd}:${packet.messageId}`);
      return { cmd: 'publish', messageId: packet.messageId };
    };
    skipCleanSessionAcks(store);
    await expect(store.outgoingClearMessageId({ id: 'clean', clean: true }, { cmd: 'puback', messageId: 7 })).resolves.toBeUndefined();
    await expect(store.outgoingClearMessageId({ id: 'kept', clean: false }, { cmd: 'puback', messageId: 8 })).resolves.toEqual({
      cmd: 'publish',
      messageId: 8,
    });
    // at a clean CONNECT aedes clears what a persistent session of the same id left queued
    await store.outgoingClearMessageId({ id: 'clean', clean: true }, { cmd: 'publish', messageId: 9 });
    expect(asked).toEqual(['kept:puback:8', 'clean:publish:9']);
  });
});
