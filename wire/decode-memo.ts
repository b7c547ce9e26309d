/**
 * What a decoder worked out for bytes that can no longer change, kept from one decode of a
 * connection to the next. Captured streams only grow, so a unit that was complete at an offset
 * (an HTTP/1.1 chunk, a gRPC envelope) decodes the same way every time: without the memo a
 * stream of 10 000 messages would be decoded from its first byte on every update.
 *
 * Each kind of unit has its own table, keyed by the unit's absolute offset in its direction's
 * stream (or by the node itself). Two generations bound the memory: what the latest decode did
 * not ask for is gone after the next one.
 */
export class DecodeMemo {
  private readonly tables = new Map<string, MemoTable<unknown, unknown>>();

  table<K, V>(name: string): MemoTable<K, V> {
    let table = this.tables.get(name);
    if (!table) {
      table = new MemoTable();
      this.tables.set(name, table);
    }
    return table as MemoTable<K, V>;
  }

  /** Call once a decode is done: entries it did not use are dropped at the next call. */
  nextGeneration(): void {
    for (const table of this.tables.values()) table.nextGeneration();
  }
}

export class MemoTable<K, V> {
  private previous = new Map<K, V>();
  private current = new Map<K, V>();

  get(key: K): V | undefined {
    let value = this.current.get(key);
    if (value === undefined) {
      value = this.previous.get(key);
      if (value !== undefined) this.current.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.current.set(key, value);
  }

  nextGeneration(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}
