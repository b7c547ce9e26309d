import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type * as Monaco from 'monaco-editor/editor/editor.api';
import { subscribeSchema } from './schema-store.ts';

type LanguageModule = typeof import('./graphql-language.ts');
let loading: Promise<LanguageModule | null> | null = null;

/** Monaco and the GraphQL language: one download for all cells; on failure cells stay text areas. */
function loadLanguage(): Promise<LanguageModule | null> {
  loading ??= import('./graphql-language.ts').catch((error: unknown) => {
    console.warn('Monaco could not load; the GraphQL cells stay plain text areas.', error);
    return null;
  });
  return loading;
}

interface GraphqlCodeEditorProps {
  value: string;
  onChange(value: string): void;
  onRun(): void;
  label: string;
  language: 'graphql' | 'json';
  /** for JSON: the problem to underline on the first line, if any */
  jsonProblem?: string | null;
  minLines?: number;
  maxLines?: number;
  testId?: string;
}

const LINE_HEIGHT = 22;

/** A text area at once (already usable), replaced by Monaco when it has loaded. */
export function GraphqlCodeEditor(props: GraphqlCodeEditorProps) {
  const [module, setModule] = useState<LanguageModule | null>(null);
  useEffect(() => {
    let alive = true;
    void loadLanguage().then((loaded) => {
      if (alive && loaded) setModule(loaded);
    });
    return () => {
      alive = false;
    };
  }, []);
  if (module) return <MonacoHost {...props} module={module} />;
  const runOnCtrlEnter = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      props.onRun();
    }
  };
  return (
    <textarea
      className="code-textarea"
      aria-label={props.label}
      spellCheck={false}
      autoCapitalize="off"
      autoCorrect="off"
      value={props.value}
      rows={Math.min(props.maxLines ?? 20, Math.max(props.minLines ?? 3, props.value.split('\n').length))}
      onChange={(event) => props.onChange(event.target.value)}
      onKeyDown={runOnCtrlEnter}
    />
  );
}

function MonacoHost({ module, value, onChange, onRun, label, language, jsonProblem, minLines = 3, maxLines = 20, testId }: GraphqlCodeEditorProps & { module: LanguageModule }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<Monaco.editor.IStandaloneCodeEditor | null>(null);
  const latest = useRef({ onChange, onRun });
  latest.current = { onChange, onRun };
  // The text the editor itself last reported: a `value` equal to it is our own echo coming back
  // through React, and writing it into the editor would undo keys typed in the meantime.
  const reported = useRef(value);

  useEffect(() => {
    const { monaco } = module;
    const host = hostRef.current!;
    const editor = monaco.editor.create(host, {
      value,
      language: language === 'graphql' ? module.GRAPHQL_LANGUAGE : module.JSON_LANGUAGE,
      ariaLabel: label,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      scrollbar: { alwaysConsumeMouseWheel: false, verticalScrollbarSize: 10 },
      fontSize: 15,
      lineHeight: LINE_HEIGHT,
      fontFamily: 'ui-monospace, "Cascadia Code", "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace',
      lineNumbersMinChars: 3,
      tabSize: 2,
      renderLineHighlightOnlyWhenFocus: true,
      overviewRulerLanes: 0,
      hideCursorInOverviewRuler: true,
      fixedOverflowWidgets: true,
      padding: { top: 8, bottom: 8 },
      contextmenu: false,
      stickyScroll: { enabled: false },
      quickSuggestions: language === 'graphql' ? { other: true, comments: false, strings: false } : false,
      suggestOnTriggerCharacters: language === 'graphql',
      hover: { enabled: 'on', delay: 300 },
    });
    editorRef.current = editor;
    const fitHeight = () => {
      const height = Math.max(minLines * LINE_HEIGHT + 16, Math.min(editor.getContentHeight(), maxLines * LINE_HEIGHT + 16));
      host.style.height = `${height}px`;
    };
    const validate = () => {
      const model = editor.getModel();
      if (model && language === 'graphql') module.validateModel(model);
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
        validate();
      }),
    ];
    // The schema arrives after the editor: validate again against it.
    const unsubscribe = subscribeSchema(validate);
    fitHeight();
    validate();
    return () => {
      unsubscribe();
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

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model || language !== 'json') return;
    const { monaco } = module;
    monaco.editor.setModelMarkers(
      model,
      module.MARKER_OWNER,
      jsonProblem
        ? [{ severity: monaco.MarkerSeverity.Error, message: jsonProblem, startLineNumber: 1, startColumn: 1, endLineNumber: model.getLineCount(), endColumn: model.getLineMaxColumn(model.getLineCount()) }]
        : [],
    );
  }, [jsonProblem, module, language]);

  return <div ref={hostRef} className="code-monaco" data-testid={testId ?? 'graphql-editor-ready'} data-language={language} />;
}
