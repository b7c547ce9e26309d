// aedes-persistence-redis ships no types; the broker takes any object with aedes' persistence API.
declare module 'aedes-persistence-redis/asyncPersistence.js' {
  import type { Redis } from 'ioredis';
  export interface AsyncRedisPersistenceOptions {
    /** the connection to use (its keyPrefix goes before every key) */
    conn: Redis;
    /** queued messages handed to a session when its client comes back @default 1000 */
    maxSessionDelivery?: number;
    /** seconds a queued message is kept; 0: until delivered @default () => 0 */
    packetTTL?: (packet: unknown) => number;
  }
  export default class AsyncRedisPersistence {
    constructor(options: AsyncRedisPersistenceOptions);
    setup(broker: unknown): Promise<void>;
    destroy(): Promise<void>;
    createRetainedStreamCombi(patterns: string[]): AsyncIterable<unknown>;
  }
}
