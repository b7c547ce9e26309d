import { InvalidCursorError, ValidationError } from './errors.ts';
import { DEFAULT_LIMIT, MAX_LIMIT, type CursorPage, type Page, type SortKey } from './types.ts';
import type { Db } from './database.ts';

type SqlValue = string | number | null;

export interface ListQuery {
  db: Db;
  table: 'users' | 'posts';
  sandboxId: string;
  /** SQL conditions (beyond the sandbox) and their parameters */
  where: string[];
  params: SqlValue[];
  sortable: readonly string[];
  sort: SortKey<string>[] | undefined;
  limit: number | undefined;
}

interface OrderKey {
  field: string;
  direction: 'asc' | 'desc';
}

export function checkLimit(limit: number | undefined): number {
  const value = limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(value) || value < 1 || value > MAX_LIMIT) {
    throw new ValidationError([{ field: 'limit', message: `must be an integer from 1 to ${MAX_LIMIT}` }]);
  }
  return value;
}

/** The requested order plus id as the last tiebreaker, so every row has exactly one place. */
function orderKeys(sortable: readonly string[], sort: SortKey<string>[] = []): OrderKey[] {
  const keys: OrderKey[] = [];
  for (const key of sort) {
    if (!sortable.includes(key.field)) {
      throw new ValidationError([{ field: 'sort', message: `can sort by ${sortable.join(', ')}` }]);
    }
    if (key.direction !== 'asc' && key.direction !== 'desc') {
      throw new ValidationError([{ field: 'sort', message: 'direction must be asc or desc' }]);
    }
    if (keys.some((k) => k.field === key.field)) {
      throw new ValidationError([{ field: 'sort', message: `${key.field} appears twice` }]);
    }
    keys.push({ field: key.field, direction: key.direction });
  }
  if (!keys.some((k) => k.field === 'id')) keys.push({ field: 'id', direction: 'asc' });
  return keys;
}

const orderSql = (keys: OrderKey[]) => keys.map((k) => `${k.field} ${k.direction.toUpperCase()}`).join(', ');
const orderName = (keys: OrderKey[]) => keys.map((k) => `${k.field}:${k.direction}`).join(',');

export function listPage<Row>(query: ListQuery, page: number | undefined): Page<Row> {
  const limit = checkLimit(query.limit);
  const pageNumber = page ?? 1;
  if (!Number.isInteger(pageNumber) || pageNumber < 1) {
    throw new ValidationError([{ field: 'page', message: 'must be an integer from 1' }]);
  }
  const keys = orderKeys(query.sortable, query.sort);
  const where = ['sandbox_id = ?', ...query.where].join(' AND ');
  const params = [query.sandboxId, ...query.params];
  const { total } = query.db.prepare(`SELECT COUNT(*) AS total FROM ${query.table} WHERE ${where}`).get(...params) as { total: number };
  const rows = query.db
    .prepare(`SELECT * FROM ${query.table} WHERE ${where} ORDER BY ${orderSql(keys)} LIMIT ? OFFSET ?`)
    .all(...params, limit, (pageNumber - 1) * limit) as Row[];
  return { items: rows, page: pageNumber, limit, total };
}

interface CursorContent {
  /** the order the cursor belongs to */
  o: string;
  /** the last row's values of the order keys */
  v: SqlValue[];
}

function decodeCursor(cursor: string, keys: OrderKey[]): SqlValue[] {
  let content: CursorContent;
  try {
    content = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorContent;
  } catch {
    throw new InvalidCursorError('the cursor is not one this server issued');
  }
  if (typeof content !== 'object' || content === null || !Array.isArray(content.v) || content.v.length !== keys.length) {
    throw new InvalidCursorError('the cursor is not one this server issued');
  }
  if (content.o !== orderName(keys)) {
    throw new InvalidCursorError(`the cursor belongs to the order ${content.o}, not ${orderName(keys)}: keep the same sort while paging`);
  }
  if (!content.v.every((v) => typeof v === 'string' || typeof v === 'number' || v === null)) {
    throw new InvalidCursorError('the cursor is not one this server issued');
  }
  return content.v;
}

/**
 * Keyset pagination: the rows after the cursor's row in the requested order. Unlike OFFSET it
 * neither skips nor repeats a row when rows are inserted or deleted between pages.
 */
export function listAfterCursor<Row extends Record<string, unknown>>(query: ListQuery, cursor: string | null | undefined): CursorPage<Row> {
  const limit = checkLimit(query.limit);
  const keys = orderKeys(query.sortable, query.sort);
  const where = ['sandbox_id = ?', ...query.where];
  const params: SqlValue[] = [query.sandboxId, ...query.params];
  if (cursor) {
    const values = decodeCursor(cursor, keys);
    // (k0 > v0) OR (k0 = v0 AND k1 > v1) OR ...; ">" becomes "<" for descending keys
    const alternatives = keys.map((key, i) => {
      const equal = keys.slice(0, i).map((k) => `${k.field} = ?`);
      return `(${[...equal, `${key.field} ${key.direction === 'asc' ? '>' : '<'} ?`].join(' AND ')})`;
    });
    where.push(`(${alternatives.join(' OR ')})`);
    keys.forEach((_, i) => params.push(...values.slice(0, i + 1)));
  }
  const rows = query.db
    .prepare(`SELECT * FROM ${query.table} WHERE ${where.join(' AND ')} ORDER BY ${orderSql(keys)} LIMIT ?`)
    .all(...params, limit + 1) as Row[];
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items.at(-1);
  const next_cursor =
    more && last
      ? Buffer.from(JSON.stringify({ o: orderName(keys), v: keys.map((k) => last[k.field] as SqlValue) } satisfies CursorContent)).toString('base64url')
      : null;
  return { items, next_cursor };
}
