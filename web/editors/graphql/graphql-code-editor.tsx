import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type * as Monaco from 'monaco-editor/editor/editor.api';
import { codeEditorOptions, useExternalValue, wireCodeEditor } from '../code-editor-host.ts';
import { EditorKeysHint } from '../editor-keys-hint.tsx';
import { editorTurn, loadGraphqlMonaco } from '../monaco-loaders.ts';
import { useNearViewport } from '../use-near-viewport.ts';
import { subscribeSchema } from './schema-store.ts';

type LanguageModule = typeof import('./graphql-language.ts');

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


/** A text area at once (already usable), replaced by Monaco when it has loaded. */
export function GraphqlCodeEditor(props: GraphqlCodeEditorProps) {
  const [module, setModule] = useState<LanguageModule | null>(null);
  // Monaco loads once the editor nears the viewport (use-near-viewport.ts); the text area works meanwhile.
  const [watchViewport, near] = useNearViewport<HTMLTextAreaElement>();
  useEffect(() => {
    if (!near) return;
    let alive = true;
    void loadGraphqlMonaco().then(async (loaded) => {
      if (!alive || !loaded) return;
      await editorTurn();
      if (alive) setModule(loaded);
    });
    return () => {
      alive = false;
    };
  }, [near]);
  if (module) return <MonacoHost {...props} module={module} />;
  const runOnCtrlEnter = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      props.onRun();
    }
  };
  return (
    <textarea
      ref={watchViewport}
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
  const noteReported = useExternalValue(editorRef, value);

  useEffect(() => {
    const { monaco } = module;
    const host = hostRef.current!;
    const editor = monaco.editor.create(host, {
      ...codeEditorOptions(label),
      value,
      language: language === 'graphql' ? module.GRAPHQL_LANGUAGE : module.JSON_LANGUAGE,
      quickSuggestions: language === 'graphql' ? { other: true, comments: false, strings: false } : false,
      suggestOnTriggerCharacters: language === 'graphql',
      hover: { enabled: 'on', delay: 300 },
    });
    editorRef.current = editor;
    const validate = () => {
      const model = editor.getModel();
      if (model && language === 'graphql') module.validateModel(model);
    };
    const wiring = wireCodeEditor(monaco, editor, host, {
      minLines,
      maxLines,
      onRun: () => latest.current.onRun(),
      onText: (text) => {
        noteReported(text);
        latest.current.onChange(text);
        validate();
      },
    });
    // The schema arrives after the editor: validate again against it.
    const unsubscribe = subscribeSchema(validate);
    validate();
    return () => {
      unsubscribe();
      wiring.dispose();
      editor.getModel()?.dispose();
      editor.dispose();
      editorRef.current = null;
    };
    // created once per mount; later text arrives through the effect below
  }, [module]);

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

  return (
    <>
      <div ref={hostRef} className="code-monaco" data-testid={testId ?? 'graphql-editor-ready'} data-language={language} />
      <EditorKeysHint />
    </>
  );
}
