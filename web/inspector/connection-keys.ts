// How the page's capture store names connections across server restarts (README.md, "After a
// restart"), in a module of its own: the own-server report names its connections as the server
// does, and turns them into the store's ids without loading the store itself.

/** A connection's id in the store: as the server names it, prefixed from the second server process on (`r1-c3`). */
export function connKey(conn: string, instanceOrdinal: number): string {
  return instanceOrdinal === 0 ? conn : `r${instanceOrdinal}-${conn}`;
}

export type ConnectionKeys = (serverId: string) => string;

const asTheServerNamesThem: ConnectionKeys = (serverId) => serverId;
let pageStoreKeys: (instance?: string) => ConnectionKeys = () => asTheServerNamesThem;

/** The page's one capture store (getCaptureStore) tells how it keys a server process's connections. */
export function bindPageConnectionKeys(keys: (instance?: string) => ConnectionKeys): void {
  pageStoreKeys = keys;
}

/**
 * The page store's ids of the connections a server process names (an own-server report's
 * `connections`, of its `captureInstance`; without one, of the process the store hears now),
 * fixed now: a link made from them stays on those connections after a later restart, never on the
 * next server's connection of the same name. Before the page has a store, the ids as they are:
 * the first server process a store hears keeps its ids.
 */
export function connectionKeysNow(instance?: string): ConnectionKeys {
  return pageStoreKeys(instance);
}
