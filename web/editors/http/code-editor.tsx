import { useRef } from 'react';
import { LazyCodeEditor, MonacoCodeEditor, type Handover, type CodeEditorText } from '../lazy-editor.tsx';
import { loadHttpMonaco } from '../monaco-loaders.ts';

type MonacoModule = typeof import('./monaco-setup.ts');

interface CodeEditorProps extends CodeEditorText {
  /** message for a parse error, shown as a squiggle in Monaco */
  describeError(text: string): { line: number; message: string } | null;
}

const MAX_LINES = 24;

/** An http cell's request: a text area at once, Monaco with the cells' HTTP language when it arrives. */
export function CodeEditor({ describeError, ...text }: CodeEditorProps) {
  return (
    <LazyCodeEditor
      {...text}
      load={loadHttpMonaco}
      minLines={0}
      maxLines={MAX_LINES}
      renderMonaco={(module, handover) => <HttpMonaco {...text} module={module} handover={handover} describeError={describeError} />}
    />
  );
}

function HttpMonaco({ module, handover, describeError, ...text }: CodeEditorProps & { module: MonacoModule; handover: Handover }) {
  const latest = useRef(describeError);
  latest.current = describeError;
  return (
    <MonacoCodeEditor
      {...text}
      monaco={module.monaco}
      minLines={0}
      maxLines={MAX_LINES}
      handover={handover}
      testId="cell-editor-ready"
      mount={(host, options, value) => {
        const monaco = module.setUpMonaco();
        const editor = monaco.editor.create(host, { ...options, value, language: module.HTTP_LANGUAGE, wordWrap: 'on' });
        const showProblem = () => {
          const model = editor.getModel();
          if (!model) return;
          const problem = latest.current(model.getValue());
          const marker = problem && {
            severity: monaco.MarkerSeverity.Error,
            message: problem.message,
            startLineNumber: problem.line,
            endLineNumber: problem.line,
            startColumn: 1,
            endColumn: model.getLineMaxColumn(Math.min(problem.line, model.getLineCount())),
          };
          monaco.editor.setModelMarkers(model, 'wirelab-http', marker ? [marker] : []);
        };
        return { editor, check: showProblem };
      }}
    />
  );
}
