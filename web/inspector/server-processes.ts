// The capture store's restart identity (README.md, "After a restart"): which server process is
// answering (hello's `instance`), every process this page heard in order, and the store's ids of
// each one's connections: the first process's as it gives them, a later one's with a prefix
// (`r1-c3`), so a restarted server's c3 is never taken for the earlier c3.
import type { CapturedConnection } from '../../wire/types.ts';
import { connKey, type ConnectionKeys } from './connection-keys.ts';

export class ServerProcesses {
  /** the server process now answering (hello's `instance`) */
  private instance: string | undefined;
  /** every server process this page heard, in order: the first one's connections keep their ids */
  private readonly ordinals = new Map<string, number>();
  /** the current process's ids → the store's (keyOf) */
  private readonly currentKeys = new Map<string, string>();

  /** The process now answering; undefined on a channel that names none. */
  get current(): string | undefined {
    return this.instance;
  }

  /** A `hello` from `instance`: it answers from now on. One naming none forgets every process. */
  start(instance: string | undefined): void {
    if (instance === undefined) this.ordinals.clear();
    else this.place(instance);
    this.instance = instance;
    this.currentKeys.clear();
  }

  /** Captured by a process other than the one answering now. */
  isBefore(instance: string | undefined): boolean {
    return instance !== this.instance;
  }

  /** The current process's place among those this page heard (0: ids kept as they are). */
  ordinal(): number {
    return this.instance === undefined ? 0 : (this.ordinals.get(this.instance) ?? 0);
  }

  /** The store's id of the current process's connection `conn`. */
  keyOf(conn: string): string {
    const ordinal = this.ordinal();
    if (ordinal === 0) return conn;
    // one string per connection, not one per chunk: a burst after a restart is thousands of chunks
    let key = this.currentKeys.get(conn);
    if (key === undefined) this.currentKeys.set(conn, (key = connKey(conn, ordinal)));
    return key;
  }

  keyed(connection: CapturedConnection): CapturedConnection {
    const id = this.keyOf(connection.id);
    return id === connection.id ? connection : { ...connection, id };
  }

  /**
   * The store's ids of the connections a server process names, fixed at the call; a process whose
   * hello has not come yet gets the place its hello will take.
   */
  connectionKeys(instance?: string): ConnectionKeys {
    const ordinal = instance === undefined ? this.ordinal() : this.place(instance);
    return (serverId) => connKey(serverId, ordinal);
  }

  private place(instance: string): number {
    if (!this.ordinals.has(instance)) this.ordinals.set(instance, this.ordinals.size);
    return this.ordinals.get(instance)!;
  }
}
