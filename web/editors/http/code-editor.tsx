import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type * as Monaco from 'monaco-editor/editor/editor.api';
import { codeEditorOptions, useExternalValue, wireCodeEditor } from '../code-editor-host.ts';
import { EditorKeysHint } from '../editor-keys-hint.tsx';
import { editorTurn, loadHttpMonaco } from '../monaco-loaders.ts';
import { useNearViewport } from '../use-near-viewport.ts';

type MonacoModule = typeof import('./monaco-setup.ts');

interface CodeEditorProps {
  value: string;
  onChange(value: string): void;
  onRun(): void;
  label: string;
  /** message for a parse error, shown as a squiggle in Monaco */
  describeError(text: string): { line: number; message: string } | null;
}

const MAX_LINES = 24;

/**
 * A plain monospace text area at once (it already runs), replaced by Monaco when it arrives:
 * Monaco loads once the cell nears the viewport (use-near-viewport.ts), so a lesson's text never
 * waits for it. The text lives with the caller; both editors show it and report every change.
 */
export function CodeEditor({ value, onChange, onRun, label, describeError }: CodeEditorProps) {
  const [monaco, setMonaco] = useState<MonacoModule | null>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const caretRef = useRef<{ offset: number } | null>(null);
  const [watchViewport, near] = useNearViewport<HTMLTextAreaElement>();
  const textareaRefs = useCallback(
    (element: HTMLTextAreaElement | null) => {
      textareaRef.current = element;
      watchViewport(element);
    },
    [watchViewport],
  );

  useEffect(() => {
    if (!near) return;
    let alive = true;
    void loadHttpMonaco().then(async (module) => {
      if (!alive || !module) return;
      await editorTurn();
      if (!alive) return;
      const textarea = textareaRef.current;
      caretRef.current = textarea && document.activeElement === textarea ? { offset: textarea.selectionStart } : null;
      setMonaco(module);
    });
    return () => {
      alive = false;
    };
  }, [near]);

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
      ref={textareaRefs}
      className="code-textarea"
      aria-label={label}
      spellCheck={false}
      autoCapitalize="off"
      autoCorrect="off"
      value={value}
      // as tall as Monaco will be (.code-monaco's min-height is two lines), so nothing jumps when it takes over
      rows={Math.min(MAX_LINES, Math.max(2, value.split('\n').length))}
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
  const noteReported = useExternalValue(editorRef, value);

  useEffect(() => {
    const { monaco, HTTP_LANGUAGE } = module;
    const host = hostRef.current!;
    const editor = monaco.editor.create(host, {
      ...codeEditorOptions(label),
      value,
      language: HTTP_LANGUAGE,
      wordWrap: 'on',
    });
    editorRef.current = editor;

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

    const wiring = wireCodeEditor(monaco, editor, host, {
      minLines: 0,
      maxLines: MAX_LINES,
      onRun: () => latest.current.onRun(),
      onText: (text) => {
        noteReported(text);
        latest.current.onChange(text);
        showProblems();
      },
    });
    showProblems();
    if (focusAt) {
      editor.focus();
      editor.setPosition(editor.getModel()!.getPositionAt(focusAt.offset));
    }
    return () => {
      wiring.dispose();
      editor.getModel()?.dispose();
      editor.dispose();
      editorRef.current = null;
    };
    // created once per mount; later text arrives through the effect below
  }, [module]);

  return (
    <>
      <div ref={hostRef} className="code-monaco" data-testid="cell-editor-ready" />
      <EditorKeysHint />
    </>
  );
}
