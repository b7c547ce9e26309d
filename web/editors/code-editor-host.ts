import { useCallback, useEffect, useRef, useSyncExternalStore, type RefObject } from 'react';
import type * as Monaco from 'monaco-editor/editor/editor.api';
import { markEditorSettled } from '../kit/page-shown.ts';
import { PROJECTOR_SIZES, isProjectorMode, onProjectorModeChange } from '../kit/projector-setting.ts';
import { EDITOR_PADDING, hostHeightBeforeEditor, hostHeightFor } from './editor-size.ts';

// What every Monaco cell editor (http, graphql, the gRPC/workbench JSON) does the same way: the
// look, Ctrl+Enter to run, a height that follows the text, text that flows both ways, and a way
// out for the keyboard. Type-only import of Monaco: each editor passes the namespace its lazy
// chunk loaded.

// An editor must not trap the keyboard (WCAG 2.1.2). Tab still indents, as students expect of a
// code editor, but Esc makes the next Tab or Shift+Tab leave it (as in CodeMirror), and Ctrl+M
// makes Tab move focus in every editor until pressed again (VS Code's "tab focus mode").
let tabMovesFocus = false;
const tabModeListeners = new Set<() => void>();

export function toggleTabMovesFocus(): void {
  tabMovesFocus = !tabMovesFocus;
  for (const listener of tabModeListeners) listener();
}

function onTabModeChange(listener: () => void): () => void {
  tabModeListeners.add(listener);
  return () => tabModeListeners.delete(listener);
}

/** Whether Tab moves focus in every editor (Ctrl+M), for the keyboard hint beside each one. */
export function useTabMovesFocus(): boolean {
  const current = () => tabMovesFocus;
  // the same answer when rendered to a string (a cell's text area and its hint, saved-drafts.test.ts)
  return useSyncExternalStore(onTabModeChange, current, current);
}

export const CODE_LINE_HEIGHT = 22;

/** Monaco's type size: the usual one, or the projector's (which follows the mode as it changes). */
function codeTypeSize(): { fontSize: number; lineHeight: number } {
  return isProjectorMode()
    ? { fontSize: PROJECTOR_SIZES.codeFontSize, lineHeight: PROJECTOR_SIZES.codeLineHeight }
    : { fontSize: 15, lineHeight: CODE_LINE_HEIGHT };
}

/**
 * Sizes the host before the editor is made in it, and returns that size for the editor's
 * `dimension`, or undefined when the width is not known (the editor then reads its container's,
 * as before). Given its size, Monaco does not read the container's (clientWidth), a forced
 * layout of the page as the editor is made. The height is the text area's as the page laid it
 * out (its lines as wrapped) when known and drawn in the same type as Monaco's; otherwise the one
 * fitHeight sets for the text's lines unwrapped, and a wrapped line changes it a moment later, as
 * any text does (the ResizeObserver of wireCodeEditor hands the host's new size to the editor).
 */
export function hostSizeBefore(
  host: HTMLElement,
  value: string,
  textArea: { width: number | null; height: number | null },
  minLines: number,
  maxLines: number,
): Monaco.editor.IDimension | undefined {
  const { lineHeight } = codeTypeSize();
  // the text area keeps the usual type in projector mode: its height would be the wrong one there
  const laidOut = textArea.height !== null && lineHeight === CODE_LINE_HEIGHT ? textArea.height : null;
  const height = laidOut ?? hostHeightBeforeEditor(value, lineHeight, minLines, maxLines);
  host.style.height = `${height}px`;
  return textArea.width ? { width: textArea.width, height } : undefined;
}

/**
 * The options every cell editor shares; each adds its value, language and its own extras.
 * `dimension`: the host's size when known (hostSizeBefore).
 */
export function codeEditorOptions(label: string, dimension?: Monaco.editor.IDimension): Monaco.editor.IStandaloneEditorConstructionOptions {
  return {
    ariaLabel: label,
    // the host's size is followed by wireCodeEditor's own ResizeObserver, which hands it to the
    // editor as the observer reports it: Monaco's automaticLayout reads the container's size
    // (a forced layout) as the editor is made
    automaticLayout: false,
    dimension,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    scrollbar: { alwaysConsumeMouseWheel: false, verticalScrollbarSize: 10 },
    ...codeTypeSize(),
    fontFamily: 'ui-monospace, "Cascadia Code", "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace',
    lineNumbersMinChars: 3,
    // the number of a last empty line is drawn like the others: Monaco's dimmed one is 1.4:1 on white (WCAG 1.4.3)
    renderFinalNewline: 'on',
    tabSize: 2,
    renderLineHighlightOnlyWhenFocus: true,
    overviewRulerLanes: 0,
    hideCursorInOverviewRuler: true,
    fixedOverflowWidgets: true,
    padding: EDITOR_PADDING,
    contextmenu: false,
    stickyScroll: { enabled: false },
  };
}

export interface CodeEditorWiring {
  /** the height follows the content between these many lines (0: no minimum) */
  minLines: number;
  maxLines: number;
  onRun(): void;
  /** every text the editor itself produces (typing, paste, undo) */
  onText(text: string): void;
}

/** Ctrl/Cmd+Enter runs, the host's height follows the text, edits are reported; dispose to undo. */
export function wireCodeEditor(
  monaco: typeof Monaco,
  editor: Monaco.editor.IStandaloneCodeEditor,
  host: HTMLElement,
  wiring: CodeEditorWiring,
): Monaco.IDisposable {
  const fitHeight = (): void => {
    host.style.height = `${hostHeightFor(editor.getContentHeight(), codeTypeSize().lineHeight, wiring.minLines, wiring.maxLines)}px`;
  };
  // the host's laid-out size, as the browser reports it after a layout (never read, so never forced)
  const followHost = new ResizeObserver((entries) => {
    const box = entries[0]?.contentRect;
    if (box && box.width > 0 && box.height > 0) editor.layout({ width: box.width, height: box.height });
  });
  followHost.observe(host);
  const action = editor.addAction({
    id: 'wirelab.run',
    label: 'Run',
    keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
    run: () => wiring.onRun(),
  });
  // Esc arms a one-time exit: the next Tab/Shift+Tab leaves; any other key (but a bare modifier) disarms it.
  let escaped = false;
  const applyTabMode = (): void => editor.updateOptions({ tabFocusMode: tabMovesFocus || escaped });
  const modifiers = new Set([monaco.KeyCode.Shift, monaco.KeyCode.Ctrl, monaco.KeyCode.Alt, monaco.KeyCode.Meta]);
  const toggleAction = editor.addAction({
    id: 'wirelab.toggleTabMovesFocus',
    label: 'Tab moves focus',
    keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyM],
    run: () => toggleTabMovesFocus(),
  });
  const subscriptions = [
    editor.onDidContentSizeChange(fitHeight),
    editor.onDidChangeModelContent(() => wiring.onText(editor.getValue())),
    editor.onKeyDown((event) => {
      if (event.keyCode === monaco.KeyCode.Escape) escaped = true;
      else if (event.keyCode !== monaco.KeyCode.Tab && !modifiers.has(event.keyCode)) escaped = false;
      else return;
      applyTabMode();
    }),
    editor.onDidBlurEditorText(() => {
      escaped = false;
      applyTabMode();
    }),
  ];
  const stopWatchingTabMode = onTabModeChange(applyTabMode);
  // the content height changes with the type size, and fitHeight follows it
  const stopWatchingProjector = onProjectorModeChange(() => editor.updateOptions(codeTypeSize()));
  applyTabMode();
  fitHeight();
  // the page's first editor is up: what waited for it (page-shown.ts) may load now
  markEditorSettled();
  return {
    dispose() {
      followHost.disconnect();
      action.dispose();
      toggleAction.dispose();
      stopWatchingTabMode();
      stopWatchingProjector();
      for (const subscription of subscriptions) subscription.dispose();
    },
  };
}

/**
 * Puts `value` into the editor when it changed outside it (a reset, a preset). Returns the
 * function to call with every text the editor reports: a `value` equal to it is the editor's own
 * echo coming back through React, and writing it back would undo keys typed in the meantime.
 */
export function useExternalValue(editorRef: RefObject<Monaco.editor.IStandaloneCodeEditor | null>, value: string): (text: string) => void {
  const reported = useRef(value);
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || value === reported.current) return;
    reported.current = value;
    if (editor.getValue() !== value) editor.setValue(value);
  }, [editorRef, value]);
  return useCallback((text: string) => {
    reported.current = text;
  }, []);
}
