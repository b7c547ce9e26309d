import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import type * as Monaco from 'monaco-editor/editor/editor.api';
import { CODE_LINE_HEIGHT, codeEditorOptions, hostSizeBefore, useExternalValue, wireCodeEditor } from './code-editor-host.ts';
import { hostHeightFor } from './editor-size.ts';
import { EditorKeysHint } from './editor-keys-hint.tsx';
import { editorTurn } from './monaco-loaders.ts';
import { useNearViewport } from './use-near-viewport.ts';

// The one way a cell's code editor arrives (http, GraphQL, the gRPC/workbench JSON): a plain text
// area at once, which already runs; Monaco, once the editor nears the viewport
// (use-near-viewport.ts) and its chunk has loaded (monaco-loaders.ts), takes its place, keeping
// the caret; a lesson's text never waits for it. The text lives with the caller: both editors
// show it and report every change. Each editor says only what is its own: which Monaco chunk,
// and how it makes its editor (language, markers, schema).

/** What every code editor is given. */
export interface CodeEditorText {
  value: string;
  onChange(value: string): void;
  onRun(): void;
  label: string;
}

/** What the text area hands Monaco when it takes over. */
export interface Handover {
  /** where the caret was (null: the text area did not have the focus) */
  caret: { offset: number } | null;
  /**
   * the text area's width as last laid out (its ResizeObserver's, which costs no layout of its
   * own), or null before one came: Monaco takes the same width, and given it up front it does
   * not force a layout of the page to read its container's (MonacoCodeEditor)
   */
  width: number | null;
  /**
   * the text area's height as last laid out (the same observer's), or null: its lines as the page
   * wrapped them, which Monaco, wrapping at about the same width, starts with instead of counting
   * the text's unwrapped lines, so a long line does not make it grow under the pointer
   */
  height: number | null;
}

interface LazyCodeEditorProps<M> extends CodeEditorText {
  /** the editor's Monaco chunk (monaco-loaders.ts); null when it could not load: the text area stays */
  load(): Promise<M | null>;
  /** the height follows the text between these many lines (the text area has at least two) */
  minLines: number;
  maxLines: number;
  textareaTestId?: string;
  /** the Monaco editor once its chunk is here (a MonacoCodeEditor) */
  renderMonaco(module: M, handover: Handover): ReactNode;
}

export function LazyCodeEditor<M>({ load, value, onChange, onRun, label, minLines, maxLines, textareaTestId, renderMonaco }: LazyCodeEditorProps<M>) {
  const [module, setModule] = useState<M | null>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const handoverRef = useRef<Handover>({ caret: null, width: null, height: null });
  const [watchViewport, near] = useNearViewport<HTMLTextAreaElement>();
  const watchSize = useLaidOutSize(handoverRef);
  const textareaRefs = useCallback(
    (element: HTMLTextAreaElement | null) => {
      // The caret is read as the text area leaves (React detaches its ref before it removes it, in
      // the same commit that mounts Monaco): read before the commit, when the chunk had loaded, a
      // click that landed in between put the focus in a text area about to go, and it fell to the
      // page's body with the keys typed next (CI, classroom-follow-pauses, on a warm page)
      const leaving = textareaRef.current;
      if (!element && leaving) handoverRef.current.caret = leaving.ownerDocument.activeElement === leaving ? { offset: leaving.selectionStart } : null;
      textareaRef.current = element;
      watchViewport(element);
      watchSize(element);
    },
    [watchViewport, watchSize],
  );

  useEffect(() => {
    if (!near) return;
    let alive = true;
    void load().then(async (loaded) => {
      if (!alive || !loaded) return;
      await editorTurn();
      if (alive) setModule(() => loaded);
    });
    return () => {
      alive = false;
    };
  }, [near, load]);

  if (module) return renderMonaco(module, handoverRef.current);

  const runOnCtrlEnter = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onRun();
    }
  };
  // As tall as Monaco will be, so that nothing below moves when it takes over: a Run button that
  // moved between a click's press and its release lost the click (the mouseup landed on the
  // editor). Its lines as wrapped (field-sizing, where the browser has it; its text's lines
  // otherwise), between two (.code-monaco's min-height) and maxLines; and the keys hint's line
  // that Monaco brings, held already (hidden: the text area keeps the browser's own Tab).
  const lines = Math.min(maxLines, Math.max(minLines, 2, value.split('\n').length));
  return (
    <>
      <textarea
        ref={textareaRefs}
        className="code-textarea code-textarea-before-monaco"
        aria-label={label}
        data-testid={textareaTestId}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        value={value}
        rows={lines}
        style={{
          minHeight: hostHeightFor(0, CODE_LINE_HEIGHT, Math.max(minLines, 2), maxLines),
          maxHeight: hostHeightFor(Number.POSITIVE_INFINITY, CODE_LINE_HEIGHT, 0, maxLines),
        }}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={runOnCtrlEnter}
      />
      <EditorKeysHint />
    </>
  );
}

/** A ref callback that keeps `into.current` at the element's laid-out border-box width and height. */
function useLaidOutSize(into: RefObject<Handover>): (element: HTMLElement | null) => void {
  const observer = useRef<ResizeObserver | null>(null);
  return useCallback(
    (element: HTMLElement | null) => {
      observer.current?.disconnect();
      observer.current = null;
      if (!element || typeof ResizeObserver === 'undefined') return;
      observer.current = new ResizeObserver((entries) => {
        const size = entries[0]?.borderBoxSize?.[0];
        if (!size || size.inlineSize <= 0) return;
        into.current.width = size.inlineSize;
        into.current.height = size.blockSize;
      });
      observer.current.observe(element);
    },
    [into],
  );
}

/** What an editor's mount made: the editor, and what it does besides. */
export interface MountedEditor {
  editor: Monaco.editor.IStandaloneCodeEditor;
  /** after the editor is up and after every text it reports: markers, validation */
  check?(): void;
  /** undoes what mount did besides the editor and its model (a subscription, a schema) */
  dispose?(): void;
}

interface MonacoCodeEditorProps extends CodeEditorText {
  monaco: typeof Monaco;
  /** makes the editor in `host` from the shared options (codeEditorOptions) and the text; once per mount */
  mount(host: HTMLElement, options: Monaco.editor.IStandaloneEditorConstructionOptions, value: string): MountedEditor;
  minLines: number;
  maxLines: number;
  handover: Handover;
  testId: string;
  /** the host's data-language */
  language?: string;
  /** the editor, for the caller's own effects (set before they run) */
  editorRef?: RefObject<Monaco.editor.IStandaloneCodeEditor | null>;
}

export function MonacoCodeEditor({
  monaco,
  mount,
  value,
  onChange,
  onRun,
  label,
  minLines,
  maxLines,
  handover,
  testId,
  language,
  editorRef: givenRef,
}: MonacoCodeEditorProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const ownRef = useRef<Monaco.editor.IStandaloneCodeEditor | null>(null);
  const editorRef = givenRef ?? ownRef;
  const latest = useRef({ onChange, onRun });
  latest.current = { onChange, onRun };
  const noteReported = useExternalValue(editorRef, value);

  // made as React puts the host in the page, before the browser draws it: with a passive effect
  // the page was drawn once with an empty host, and the editor made in a later task, which then
  // waited for yet another frame to show its lines
  useLayoutEffect(() => {
    const host = hostRef.current!;
    const mounted = mount(host, codeEditorOptions(label, hostSizeBefore(host, value, handover, minLines, maxLines)), value);
    const { editor } = mounted;
    editorRef.current = editor;
    const wiring = wireCodeEditor(monaco, editor, host, {
      minLines,
      maxLines,
      onRun: () => latest.current.onRun(),
      onText: (text) => {
        noteReported(text);
        latest.current.onChange(text);
        mounted.check?.();
      },
    });
    mounted.check?.();
    const { caret } = handover;
    if (caret) {
      editor.focus();
      editor.setPosition(editor.getModel()!.getPositionAt(caret.offset));
    }
    // its lines drawn now, into the frame the host is first painted in: left to Monaco, they came
    // in its next animation frame, after whatever tasks were queued by then (the other cells')
    editor.render();
    return () => {
      wiring.dispose();
      mounted.dispose?.();
      editor.getModel()?.dispose();
      editor.dispose();
      editorRef.current = null;
    };
    // created once per mount; later text arrives through useExternalValue
  }, [monaco]);

  return (
    <>
      <div ref={hostRef} className="code-monaco" data-testid={testId} data-language={language} />
      <EditorKeysHint />
    </>
  );
}
