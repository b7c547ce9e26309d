import { useMemo, type ComponentType } from 'react';
import type { CellProps } from '../cell-props.ts';
import type { CellConfigParse } from './cell-config-parse.ts';
import { BadCellConfig } from './console-log.tsx';

/** What a console gets: its cell's parsed file instead of the text, and the page's callbacks. */
export type ConsoleProps<Config> = { cellId: string; config: Config } & Pick<CellProps, 'saveKey' | 'onExchange' | 'onInspect'>;

/**
 * The lesson's cell of a console: parses the cell file once per text and shows the console, or
 * what is wrong with the file (the lesson format test should have caught it).
 */
export function consoleCell<Config>(parse: (text: string) => CellConfigParse<Config>, Console: ComponentType<ConsoleProps<Config>>): ComponentType<CellProps> {
  return function ConsoleCell({ cellId, initialText, saveKey, onExchange, onInspect }: CellProps) {
    const parsed = useMemo(() => parse(initialText), [initialText]);
    if (!parsed.ok) return <BadCellConfig problems={parsed.problems} />;
    return <Console cellId={cellId} config={parsed.config} saveKey={saveKey} onExchange={onExchange} onInspect={onInspect} />;
  };
}
