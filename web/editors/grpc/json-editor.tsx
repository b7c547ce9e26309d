import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type * as Monaco from 'monaco-editor/editor/editor.api';
import type { JsonSchema } from './request-json-schema.ts';

type LanguageModule = typeof import('./json-language.ts');
let loading: Promise<LanguageModule | null> | null = null;

/** Monaco and its JSON language: one download for all cells; on failure cells stay text areas. */
function loadLanguage(): Promise<LanguageModule | null> {
  loading ??= import('./json-language.ts').catch((error: unknown) => {
    console.warn('Monaco could not load; the gRPC cells stay plain text areas.', error);
    return null;
  });
  return loading;
}

interface JsonEditorProps {
  /** unique per editor on the page: the schema is tied to this model */
  modelId: string;
  value: string;
  onChange(value: string): void;
  onRun(): void;
  label: string;
  schema: JsonSchema | null;
  testId: string;
}

const LINE_HEIGHT = 22;
const MIN_LINES = 3;
const MAX_LINES = 18;

/** A text area at once (already usable), replaced by Monaco with schema-aware JSON when loaded. */
export function JsonEditor(props: JsonEditorProps) {
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
  if (module) return <MonacoJson {...props} module={module} />;
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
      data-testid={`${props.testId}-text`}
      spellCheck={false}
      autoCapitalize="off"
      autoCorrect="off"
      value={props.value}
      rows={Math.min(MAX_LINES, Math.max(MIN_LINES, props.value.split('\n').length))}
      onChange={(event) => props.onChange(event.target.value)}
      onKeyDown={runOnCtrlEnter}
    />
  );
}

function MonacoJson({ module, modelId, value, onChange, onRun, label, schema, testId }: JsonEditorProps & { module: LanguageModule }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<Monaco.editor.IStandaloneCodeEditor | null>(null);
  const latest = useRef({ onChange, onRun });
  latest.current = { onChange, onRun };
  // The text the editor itself last reported: a `value` equal to it is our own echo coming back
  // through React, and writing it into the editor would undo keys typed in the meantime.
  const reported = useRef(value);
  const uri = `inmemory://wirelab/grpc/${encodeURIComponent(modelId)}.json`;

  useEffect(() => {
    const { monaco } = module;
    const host = hostRef.current!;
    const model = monaco.editor.createModel(value, module.JSON_LANGUAGE_ID, monaco.Uri.parse(uri));
    const editor = monaco.editor.create(host, {
      model,
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
      quickSuggestions: { other: true, comments: false, strings: true },
      hover: { enabled: 'on', delay: 300 },
    });
    editorRef.current = editor;
    const fitHeight = () => {
      const height = Math.max(MIN_LINES * LINE_HEIGHT + 16, Math.min(editor.getContentHeight(), MAX_LINES * LINE_HEIGHT + 16));
      host.style.height = `${height}px`;
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
      }),
    ];
    fitHeight();
    return () => {
      for (const subscription of subscriptions) subscription.dispose();
      module.setModelSchema(uri, null);
      editor.dispose();
      model.dispose();
      editorRef.current = null;
    };
    // created once per mount; later text and schemas arrive through the effects below
  }, [module, uri]);

  useEffect(() => {
    module.setModelSchema(uri, schema);
  }, [module, uri, schema]);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || value === reported.current) return;
    reported.current = value;
    if (editor.getValue() !== value) editor.setValue(value);
  }, [value]);

  return <div ref={hostRef} className="code-monaco" data-testid={testId} data-language="json" />;
}
