import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type * as Monaco from 'monaco-editor/editor/editor.api';
import { codeEditorOptions, useExternalValue, wireCodeEditor } from '../code-editor-host.ts';
import { EditorKeysHint } from '../editor-keys-hint.tsx';
import { editorTurn, loadJsonMonaco } from '../monaco-loaders.ts';
import { useNearViewport } from '../use-near-viewport.ts';
import type { JsonSchema } from './request-json-schema.ts';

type LanguageModule = typeof import('./json-language.ts');

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

const MIN_LINES = 3;
const MAX_LINES = 18;

/** A text area at once (already usable), replaced by Monaco with schema-aware JSON when loaded. */
export function JsonEditor(props: JsonEditorProps) {
  const [module, setModule] = useState<LanguageModule | null>(null);
  // Monaco loads once the editor nears the viewport (use-near-viewport.ts); the text area works meanwhile.
  const [watchViewport, near] = useNearViewport<HTMLTextAreaElement>();
  useEffect(() => {
    if (!near) return;
    let alive = true;
    void loadJsonMonaco().then(async (loaded) => {
      if (!alive || !loaded) return;
      await editorTurn();
      if (alive) setModule(loaded);
    });
    return () => {
      alive = false;
    };
  }, [near]);
  if (module) return <MonacoJson {...props} module={module} />;
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
  const noteReported = useExternalValue(editorRef, value);
  const uri = `inmemory://wirelab/grpc/${encodeURIComponent(modelId)}.json`;

  useEffect(() => {
    const { monaco } = module;
    const host = hostRef.current!;
    const model = monaco.editor.createModel(value, module.JSON_LANGUAGE_ID, monaco.Uri.parse(uri));
    const editor = monaco.editor.create(host, {
      ...codeEditorOptions(label),
      model,
      quickSuggestions: { other: true, comments: false, strings: true },
      hover: { enabled: 'on', delay: 300 },
    });
    editorRef.current = editor;
    const wiring = wireCodeEditor(monaco, editor, host, {
      minLines: MIN_LINES,
      maxLines: MAX_LINES,
      onRun: () => latest.current.onRun(),
      onText: (text) => {
        noteReported(text);
        latest.current.onChange(text);
      },
    });
    return () => {
      wiring.dispose();
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

  return (
    <>
      <div ref={hostRef} className="code-monaco" data-testid={testId} data-language="json" />
      <EditorKeysHint />
    </>
  );
}
