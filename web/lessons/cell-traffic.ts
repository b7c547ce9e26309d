import type { HttpExchange, WireMessage } from '../../wire/types.ts';

// Which lesson cell produced which traffic. A check's miss is about what the student did for
// that exercise: the traffic of the exercise's own cell (lesson.json `cell`), never the page's
// own requests (the GraphQL editors' schema introspection is a real `POST /graphql` too) nor
// another exercise's cell (one `POST /users` must not be a miss on every exercise that also
// matches `POST /users`). A cell tells the reader each exchange it produced (CellProps.onExchange);
// what it did not name belongs to no cell.

/** `conn#index` of an exchange → the cell that produced it. */
export type CellOwners = ReadonlyMap<string, string>;

export const exchangeKey = (conn: string, index: number): string => `${conn}#${index}`;

/** The owners with one more exchange (a new map: React state). */
export function withOwner(owners: CellOwners, exchange: Pick<HttpExchange, 'conn' | 'index'>, cellId: string): CellOwners {
  const key = exchangeKey(exchange.conn, exchange.index);
  if (owners.get(key) === cellId) return owners;
  return new Map(owners).set(key, cellId);
}

/** A message inside an exchange's body or on its upgraded connection: `exchange 3`, `websocket 0`. */
const EXCHANGE_GROUP = /^(?:exchange|websocket) (\d+)$/;

/**
 * The cell a message belongs to: that of the exchange it was carried in or upgraded from; on a
 * connection without exchanges of its own kind (HTTP/2 streams, MQTT packets), that of the
 * connection when every exchange named on it came from one cell.
 */
export function messageOwner(owners: CellOwners, message: Pick<WireMessage, 'conn' | 'group'>): string | undefined {
  const inExchange = message.group ? EXCHANGE_GROUP.exec(message.group) : null;
  if (inExchange) return owners.get(exchangeKey(message.conn, Number(inExchange[1])));
  let owner: string | undefined;
  const prefix = `${message.conn}#`;
  for (const [key, cell] of owners) {
    if (!key.startsWith(prefix)) continue;
    if (owner !== undefined && owner !== cell) return undefined;
    owner = cell;
  }
  return owner;
}

/** The exchanges and messages one cell produced, out of the lesson's. */
export function trafficOfCell(
  owners: CellOwners,
  cellId: string | undefined,
  exchanges: readonly HttpExchange[],
  messages: readonly WireMessage[],
): { exchanges: HttpExchange[]; messages: WireMessage[] } {
  if (cellId === undefined) return { exchanges: [], messages: [] };
  return {
    exchanges: exchanges.filter((exchange) => owners.get(exchangeKey(exchange.conn, exchange.index)) === cellId),
    messages: messages.filter((message) => messageOwner(owners, message) === cellId),
  };
}
