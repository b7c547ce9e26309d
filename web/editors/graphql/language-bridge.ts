import { Position, type CompletionItem, type Diagnostic } from 'graphql-language-service';

// graphql-language-service speaks LSP (0-based lines and characters, LSP kinds and severities);
// Monaco counts from 1 and numbers its enums differently. These conversions are plain data so
// they are tested without a browser; graphql-language.ts hands the results to Monaco.

/** Monaco's 1-based line and column as the language service's position. */
export function lspPosition(lineNumber: number, column: number): Position {
  return new Position(lineNumber - 1, column - 1);
}

/** LSP CompletionItemKind numbers to the names Monaco's enum uses. */
const KIND_NAMES: Record<number, string> = {
  1: 'Text',
  2: 'Method',
  3: 'Function',
  4: 'Constructor',
  5: 'Field',
  6: 'Variable',
  7: 'Class',
  8: 'Interface',
  9: 'Module',
  10: 'Property',
  11: 'Unit',
  12: 'Value',
  13: 'Enum',
  14: 'Keyword',
  15: 'Snippet',
  16: 'Color',
  17: 'File',
  18: 'Reference',
  19: 'Folder',
  20: 'EnumMember',
  21: 'Constant',
  22: 'Struct',
  23: 'Event',
  24: 'Operator',
  25: 'TypeParameter',
};

export function completionKindName(kind: number | undefined): string {
  return (kind !== undefined && KIND_NAMES[kind]) || 'Text';
}

export interface CompletionData {
  label: string;
  kindName: string;
  /** the field's or argument's type, e.g. "User" or "ID!" */
  detail: string;
  documentation: string;
  insertText: string;
  deprecated: boolean;
  /** sort deprecated entries last, keep the service's order otherwise */
  sortText: string;
}

export function completionData(items: readonly CompletionItem[]): CompletionData[] {
  return items.map((item, index) => ({
    label: item.label,
    kindName: completionKindName(item.kind),
    detail: item.detail ?? (item.type ? String(item.type) : ''),
    documentation: item.documentation ?? item.deprecationReason ?? '',
    insertText: item.insertText ?? item.label,
    deprecated: Boolean(item.isDeprecated),
    sortText: `${item.isDeprecated ? 1 : 0}${String(index).padStart(4, '0')}`,
  }));
}

export interface MarkerData {
  /** Monaco's MarkerSeverity: Hint 1, Info 2, Warning 4, Error 8 */
  severity: 1 | 2 | 4 | 8;
  message: string;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

export function markerData(diagnostics: readonly Diagnostic[]): MarkerData[] {
  return diagnostics.map((diagnostic) => {
    const { start, end } = diagnostic.range;
    const sameSpot = start.line === end.line && start.character === end.character;
    return {
      severity: diagnostic.severity === 2 ? 4 : diagnostic.severity === 3 ? 2 : diagnostic.severity === 4 ? 1 : 8,
      message: typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value,
      startLineNumber: start.line + 1,
      startColumn: start.character + 1,
      endLineNumber: end.line + 1,
      // an empty range would draw no squiggle at all
      endColumn: end.character + 1 + (sameSpot ? 1 : 0),
    };
  });
}

/** Hover contents (a string or markdown parts) as one markdown text. */
export function hoverMarkdown(contents: unknown): string {
  if (typeof contents === 'string') return contents;
  if (Array.isArray(contents)) return contents.map(hoverMarkdown).filter(Boolean).join('\n\n');
  if (contents && typeof contents === 'object' && 'value' in contents) return String((contents as { value: unknown }).value);
  return '';
}
