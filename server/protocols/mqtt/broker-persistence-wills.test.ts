import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { forgetWillsWithoutThrowing, type BrokerPersistence } from './broker-persistence.ts';

describe('forgetWillsWithoutThrowing', () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown): void => void unhandled.push(reason);
  afterEach(() => {
    process.off('unhandledRejection', record);
    unhandled.length = 0;
  });

  it('lets a client connect, and the server live, when its store fails to forget the old will', async () => {
    process.on('unhandledRejection', record);
    const broker = await Aedes.createBroker();
    const store = (broker as unknown as { persistence: BrokerPersistence }).persistence;
    // As a store on Redis fails past ioredis' retries, or one closing while the app stops.
    store.delWill = () => Promise.reject(new Error('the store is closed'));
    const failures: string[] = [];
    forgetWillsWithoutThrowing(store, (error) => failures.push((error as Error).message));
    const server = createServer(broker.handle).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`, {
        reconnectPeriod: 0,
        will: { topic: 'status/worker', payload: Buffer.from('gone'), qos: 1, retain: false },
      });
      expect(client.connected).toBe(true);
      await client.endAsync();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
      // At CONNECT (aedes' `delWill(client).finally(…)`, which nothing handles) and at DISCONNECT.
      expect(failures).toEqual(['the store is closed', 'the store is closed']);
    } finally {
      server.close();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    }
  });
});
