// How tall a cell's Monaco host is for its text: what code-editor-host.ts sets as the text
// changes, and what it sets before the editor exists, so the editor is made at its size.

/** The editor's padding above and below its lines (codeEditorOptions), which its content height includes. */
export const EDITOR_PADDING = { top: 8, bottom: 8 } as const;

/** .code-monaco's min-height (http-cell.css): two lines of the usual type, with the padding. */
export const HOST_MIN_HEIGHT = 60;

/** The host's height for a content this tall, between `minLines` and `maxLines` lines of text. */
export function hostHeightFor(contentHeight: number, lineHeight: number, minLines: number, maxLines: number): number {
  const padding = EDITOR_PADDING.top + EDITOR_PADDING.bottom;
  return Math.max(minLines * lineHeight + padding, Math.min(contentHeight, maxLines * lineHeight + padding));
}

/**
 * The host's height for `text` before the editor can tell its content height: every line
 * unwrapped, as the editor will lay it out unless a line is wider than the host; no lower than
 * the host's min-height, which the page applies to whatever height is set.
 */
export function hostHeightBeforeEditor(text: string, lineHeight: number, minLines: number, maxLines: number): number {
  const contentHeight = text.split('\n').length * lineHeight + EDITOR_PADDING.top + EDITOR_PADDING.bottom;
  return Math.max(HOST_MIN_HEIGHT, hostHeightFor(contentHeight, lineHeight, minLines, maxLines));
}
