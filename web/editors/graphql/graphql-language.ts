// Loaded only with Monaco (a dynamic import): the GraphQL language for Monaco, its colours and
// the schema-aware completion, hover and validation of graphql-language-service.
import { getAutocompleteSuggestions, getDiagnostics, getHoverInformation } from 'graphql-language-service';
import { monaco, setUpMonaco } from '../http/monaco-setup.ts';
// before Monaco's services start (setUpMonaco below): http/monaco-setup.ts says why
import '../monaco-suggest-hover.ts';
import { completionData, hoverMarkdown, lspPosition, markerData } from './language-bridge.ts';
import { currentSchema } from './schema-store.ts';

export { monaco };
export const GRAPHQL_LANGUAGE = 'graphql';
export const JSON_LANGUAGE = 'wirelab-json';
export const MARKER_OWNER = 'wirelab-graphql';

setUpMonaco();
monaco.languages.register({ id: GRAPHQL_LANGUAGE, extensions: ['.graphql'] });
monaco.languages.setLanguageConfiguration(GRAPHQL_LANGUAGE, {
  comments: { lineComment: '#' },
  brackets: [
    ['{', '}'],
    ['[', ']'],
    ['(', ')'],
  ],
  autoClosingPairs: [
    { open: '{', close: '}' },
    { open: '[', close: ']' },
    { open: '(', close: ')' },
    { open: '"', close: '"', notIn: ['string', 'comment'] },
  ],
});
monaco.languages.setMonarchTokensProvider(GRAPHQL_LANGUAGE, {
  defaultToken: '',
  keywords: ['query', 'mutation', 'subscription', 'fragment', 'on', 'true', 'false', 'null'],
  tokenizer: {
    root: [
      [/#.*$/, 'comment'],
      [/"""/, { token: 'string', next: '@block' }],
      [/"(?:[^"\\]|\\.)*"/, 'string'],
      [/\$[_A-Za-z][_0-9A-Za-z]*/, 'variable'],
      [/@[_A-Za-z][_0-9A-Za-z]*/, 'annotation'],
      [/\.\.\./, 'keyword'],
      [/[_A-Za-z][_0-9A-Za-z]*(?=\s*:(?!:))/, 'attribute.name'],
      [/[A-Z][_0-9A-Za-z]*/, 'type'],
      [/[_A-Za-z][_0-9A-Za-z]*/, { cases: { '@keywords': 'keyword', '@default': 'identifier' } }],
      [/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/, 'number'],
      [/[{}()[\]]/, '@brackets'],
      [/[:=!|&]/, 'delimiter'],
    ],
    block: [
      [/"""/, { token: 'string', next: '@pop' }],
      [/./, 'string'],
    ],
  },
});

// Variables are JSON; Monaco's own JSON mode needs a language worker, so a few tokens suffice.
monaco.languages.register({ id: JSON_LANGUAGE });
monaco.languages.setLanguageConfiguration(JSON_LANGUAGE, {
  brackets: [
    ['{', '}'],
    ['[', ']'],
  ],
  autoClosingPairs: [
    { open: '{', close: '}' },
    { open: '[', close: ']' },
    { open: '"', close: '"', notIn: ['string'] },
  ],
});
monaco.languages.setMonarchTokensProvider(JSON_LANGUAGE, {
  tokenizer: {
    root: [
      [/"(?:[^"\\]|\\.)*"(?=\s*:)/, 'string.key.json'],
      [/"(?:[^"\\]|\\.)*"/, 'string.value.json'],
      [/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/, 'number'],
      [/\b(?:true|false|null)\b/, 'keyword.json'],
      [/[{}[\],:]/, 'delimiter'],
    ],
  },
});

monaco.languages.registerCompletionItemProvider(GRAPHQL_LANGUAGE, {
  // Letters already open the list as one types (quickSuggestions); a list that popped up on "{" or
  // a newline would swallow the next Enter.
  triggerCharacters: ['$', '@'],
  provideCompletionItems(model, position) {
    const schema = currentSchema();
    if (!schema) return { suggestions: [] };
    const items = getAutocompleteSuggestions(schema, model.getValue(), lspPosition(position.lineNumber, position.column));
    const word = model.getWordUntilPosition(position);
    const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
    const kinds = monaco.languages.CompletionItemKind as unknown as Record<string, number>;
    return {
      suggestions: completionData(items).map((item) => ({
        label: item.label,
        kind: (kinds[item.kindName] ?? kinds.Text) as monaco.languages.CompletionItemKind,
        detail: item.detail,
        documentation: item.documentation ? { value: item.documentation } : '',
        insertText: item.insertText,
        sortText: item.sortText,
        range,
        ...(item.deprecated ? { tags: [monaco.languages.CompletionItemTag.Deprecated] } : {}),
      })),
    };
  },
});

monaco.languages.registerHoverProvider(GRAPHQL_LANGUAGE, {
  provideHover(model, position) {
    const schema = currentSchema();
    if (!schema) return null;
    const markdown = hoverMarkdown(
      getHoverInformation(schema, model.getValue(), lspPosition(position.lineNumber, position.column), undefined, { useMarkdown: true }),
    );
    if (!markdown) return null;
    return { contents: [{ value: markdown }] };
  },
});

/** Validation squiggles against the schema (syntax only while the schema is not there yet). */
export function validateModel(model: monaco.editor.ITextModel): void {
  const schema = currentSchema();
  const markers = markerData(getDiagnostics(model.getValue(), schema));
  monaco.editor.setModelMarkers(model, MARKER_OWNER, markers);
}
