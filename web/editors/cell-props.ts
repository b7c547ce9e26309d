// In a module of its own: the registry imports every cell and every cell takes these props,
// so neither imports the other.
import type { HttpExchange } from '../../wire/types.ts';
import type { Selection } from '../inspector/exchange-sections.ts';

/** What every live cell gets from the lesson reader. */
export interface CellProps {
  cellId: string;
  /** the cell's starting text (its file under lessons/<lesson>/cells/) */
  initialText: string;
  /** where the student's edits are kept across reloads: `<lesson>/<cell>` */
  saveKey?: string;
  /** an HTTP exchange this cell produced, to focus the inspector on it */
  onExchange?(exchange: HttpExchange): void;
  /** show anything in the inspector: a connection's WebSocket frame `{ conn, message }`, an exchange `{ conn, index }` */
  onInspect?(selection: Selection): void;
}
