import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type * as Monaco from 'monaco-editor/editor/editor.api';

type MonacoModule = typeof import('./monaco-setup.ts');
let monacoLoading: Promise<MonacoModule | null> | null = null;

/** One download for all cells; a failure (null) leaves every cell on its plain text area. */
function loadMonaco(): Promise<MonacoModule | null> {
  monacoLoading ??= import('./monaco-setup.ts').catch((error: unknown) => {
    console.warn('Monaco could not load; the cells stay plain text areas.', error);
    return null;
  });
  return monacoLoading;
}

interface CodeEditorProps {
  value: string;
  onChange(value: string): void;
  onRun(): void;
  label: string;
  /** message for a parse error, shown as a squiggle in Monaco */
  describeError(text: string): { line: number; message: string } | null;
}

const LINE_HEIGHT = 22;
const MAX_LINES = 24;

/**
 * A plain monospace text area at once (it already runs), replaced by Monaco when it arrives.
 * The text lives with the caller; both editors show it and report every change.
 */
export function CodeEditor({ value, onChange, onRun, label, describeError }: CodeEditorProps) {
  const [monaco, setMonaco] = useState<MonacoModule | null>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const caretRef = useRef<{ offset: number } | null>(null);

  useEffect(() => {
    let alive = true;
    void loadMonaco().then((module) => {
      if (!alive || !module) return;
      const textarea = textareaRef.current;
      caretRef.current = textarea && document.activeElement === textarea ? { offset: textarea.selectionStart } : null;
      setMonaco(module);
    });
    return () => {
      alive = false;
    };
  }, []);

  if (monaco) {
    return (
      <MonacoHost
        module={monaco}
        value={value}
        onChange={onChange}
        onRun={onRun}
        label={label}
        describeError={describeError}
        focusAt={caretRef.current}
      />
    );
  }

  const runOnCtrlEnter = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onRun();
    }
  };
  return (
    <textarea
      ref={textareaRef}
      className="code-textarea"
      aria-label={label}
      spellCheck={false}
      autoCapitalize="off"
      autoCorrect="off"
      value={value}
      rows={Math.min(MAX_LINES, Math.max(3, value.split('\n').length))}
      onChange={(event) => onChange(event.target.value)}
      onKeyDown={runOnCtrlEnter}
    />
  );
}

interface MonacoHostProps extends CodeEditorProps {
  module: MonacoModule;
  focusAt: { offset: number } | null;
}

function MonacoHost({ module, value, onChange, onRun, label, describeError, focusAt }: MonacoHostProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<Monaco.editor.IStandaloneCodeEditor | null>(null);
  const latest = useRef({ onChange, onRun, describeError });
  latest.current = { onChange, onRun, describeError };
  // The text the editor itself last reported: a `value` equal to it is our own echo coming back
  // through React, and writing it into the editor would undo keys typed in the meantime.
  const reported = useRef(value);

  useEffect(() => {
    const { monaco, HTTP_LANGUAGE } = module;
    const host = hostRef.current!;
    const editor = monaco.editor.create(host, {
      value,
      language: HTTP_LANGUAGE,
      ariaLabel: label,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      scrollbar: { alwaysConsumeMouseWheel: false, verticalScrollbarSize: 10 },
      fontSize: 15,
      lineHeight: LINE_HEIGHT,
      fontFamily: 'ui-monospace, "Cascadia Code", "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace',
      lineNumbersMinChars: 3,
      wordWrap: 'on',
      tabSize: 2,
      renderLineHighlightOnlyWhenFocus: true,
      overviewRulerLanes: 0,
      hideCursorInOverviewRuler: true,
      fixedOverflowWidgets: true,
      padding: { top: 8, bottom: 8 },
      contextmenu: false,
      stickyScroll: { enabled: false },
    });
    editorRef.current = editor;

    const fitHeight = () => {
      const height = Math.min(editor.getContentHeight(), MAX_LINES * LINE_HEIGHT + 16);
      host.style.height = `${height}px`;
    };
    const showProblems = () => {
      const model = editor.getModel();
      if (!model) return;
      const problem = latest.current.describeError(model.getValue());
      monaco.editor.setModelMarkers(
        model,
        'wirelab-http',
        problem
          ? [
              {
                severity: monaco.MarkerSeverity.Error,
                message: problem.message,
                startLineNumber: problem.line,
                endLineNumber: problem.line,
                startColumn: 1,
                endColumn: model.getLineMaxColumn(Math.min(problem.line, model.getLineCount())),
              },
            ]
          : [],
      );
    };

    editor.addAction({
      id: 'wirelab.run',
      label: 'Run',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      run: () => latest.current.onRun(),
    });
    const subscriptions = [
      editor.onDidContentSizeChange(fitHeight),
      editor.onDidChangeModelContent(() => {
        reported.current = editor.getValue();
        latest.current.onChange(reported.current);
        showProblems();
      }),
    ];
    fitHeight();
    showProblems();
    if (focusAt) {
      editor.focus();
      editor.setPosition(editor.getModel()!.getPositionAt(focusAt.offset));
    }
    return () => {
      for (const subscription of subscriptions) subscription.dispose();
      editor.getModel()?.dispose();
      editor.dispose();
      editorRef.current = null;
    };
    // created once per mount; later text arrives through the effect below
  }, [module]);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || value === reported.current) return;
    reported.current = value;
    if (editor.getValue() !== value) editor.setValue(value);
  }, [value]);

  return <div ref={hostRef} className="code-monaco" data-testid="cell-editor-ready" />;
}
