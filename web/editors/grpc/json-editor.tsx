import { useEffect } from 'react';
import { LazyCodeEditor, MonacoCodeEditor, type Handover, type CodeEditorText } from '../lazy-editor.tsx';
import { loadJsonMonaco } from '../monaco-loaders.ts';
import type { JsonSchema } from './request-json-schema.ts';

type LanguageModule = typeof import('./json-language.ts');

interface JsonEditorProps extends CodeEditorText {
  /** unique per editor on the page: the schema is tied to this model */
  modelId: string;
  schema: JsonSchema | null;
  testId: string;
}

const MIN_LINES = 3;
const MAX_LINES = 18;

/** A request message as JSON: a text area at once, Monaco with schema-aware JSON when it arrives. */
export function JsonEditor({ modelId, schema, testId, ...text }: JsonEditorProps) {
  return (
    <LazyCodeEditor
      {...text}
      load={loadJsonMonaco}
      minLines={MIN_LINES}
      maxLines={MAX_LINES}
      textareaTestId={`${testId}-text`}
      renderMonaco={(module, handover) => {
        const uri = `inmemory://wirelab/grpc/${encodeURIComponent(modelId)}.json`;
        // a new model id is a new model: a new editor
        return <JsonMonaco key={uri} {...text} uri={uri} schema={schema} testId={testId} module={module} handover={handover} />;
      }}
    />
  );
}

function JsonMonaco({
  module,
  handover,
  uri,
  schema,
  testId,
  ...text
}: CodeEditorText & { module: LanguageModule; handover: Handover; uri: string; schema: JsonSchema | null; testId: string }) {
  useEffect(() => {
    module.setModelSchema(uri, schema);
  }, [module, uri, schema]);

  return (
    <MonacoCodeEditor
      {...text}
      monaco={module.monaco}
      minLines={MIN_LINES}
      maxLines={MAX_LINES}
      handover={handover}
      testId={testId}
      language="json"
      mount={(host, options, value) => {
        const { monaco } = module;
        const model = monaco.editor.createModel(value, module.JSON_LANGUAGE_ID, monaco.Uri.parse(uri));
        const editor = monaco.editor.create(host, {
          ...options,
          model,
          quickSuggestions: { other: true, comments: false, strings: true },
          hover: { enabled: 'on', delay: 300 },
        });
        return { editor, dispose: () => module.setModelSchema(uri, null) };
      }}
    />
  );
}
