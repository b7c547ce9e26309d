import { useEffect, useRef } from 'react';
import type * as Monaco from 'monaco-editor/editor/editor.api';
import { LazyCodeEditor, MonacoCodeEditor, type Handover, type CodeEditorText } from '../lazy-editor.tsx';
import { loadGraphqlMonaco } from '../monaco-loaders.ts';
import { subscribeSchema } from './schema-store.ts';

type LanguageModule = typeof import('./graphql-language.ts');

interface GraphqlCodeEditorProps extends CodeEditorText {
  language: 'graphql' | 'json';
  /** for JSON: the problem to underline on the first line, if any */
  jsonProblem?: string | null;
  minLines?: number;
  maxLines?: number;
  testId?: string;
}

/** A GraphQL document or its variables: a text area at once, Monaco with the GraphQL language (checked against the schema) when it arrives. */
export function GraphqlCodeEditor({ minLines = 3, maxLines = 20, ...props }: GraphqlCodeEditorProps) {
  return (
    <LazyCodeEditor
      {...props}
      load={loadGraphqlMonaco}
      minLines={minLines}
      maxLines={maxLines}
      renderMonaco={(module, handover) => <GraphqlMonaco {...props} minLines={minLines} maxLines={maxLines} module={module} handover={handover} />}
    />
  );
}

function GraphqlMonaco({
  module,
  handover,
  language,
  jsonProblem,
  minLines = 3,
  maxLines = 20,
  testId,
  ...text
}: GraphqlCodeEditorProps & { module: LanguageModule; handover: Handover }) {
  const editorRef = useRef<Monaco.editor.IStandaloneCodeEditor | null>(null);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model || language !== 'json') return;
    const { monaco } = module;
    monaco.editor.setModelMarkers(
      model,
      module.MARKER_OWNER,
      jsonProblem
        ? [
            {
              severity: monaco.MarkerSeverity.Error,
              message: jsonProblem,
              startLineNumber: 1,
              startColumn: 1,
              endLineNumber: model.getLineCount(),
              endColumn: model.getLineMaxColumn(model.getLineCount()),
            },
          ]
        : [],
    );
  }, [jsonProblem, module, language]);

  return (
    <MonacoCodeEditor
      {...text}
      monaco={module.monaco}
      editorRef={editorRef}
      minLines={minLines}
      maxLines={maxLines}
      handover={handover}
      testId={testId ?? 'graphql-editor-ready'}
      language={language}
      mount={(host, options, value) => {
        const editor = module.monaco.editor.create(host, {
          ...options,
          value,
          language: language === 'graphql' ? module.GRAPHQL_LANGUAGE : module.JSON_LANGUAGE,
          quickSuggestions: language === 'graphql' ? { other: true, comments: false, strings: false } : false,
          suggestOnTriggerCharacters: language === 'graphql',
          hover: { enabled: 'on', delay: 300 },
        });
        const validate = () => {
          const model = editor.getModel();
          if (model && language === 'graphql') module.validateModel(model);
        };
        // The schema arrives after the editor: validate again against it.
        return { editor, check: validate, dispose: subscribeSchema(validate) };
      }}
    />
  );
}
