// Loaded only through a dynamic import: Monaco is megabytes, the lesson text must not wait for it.
import * as monaco from 'monaco-editor/editor/editor.api';
import { currentTheme, onThemeChange } from '../../kit/theme-setting.ts';
// editor.api is the bare editor, all an http cell needs. The suggestion list and the hover box
// (the GraphQL and JSON editors) come later (monaco-suggest-hover.ts), and so do the JSON
// language's contributions (grpc/json-language.ts). Contributions may arrive late — an editor
// created afterwards has them — but the services they depend on cannot: Monaco adds services only
// when its first editor starts ("depends on UNKNOWN service ICodeLensCache" in every later editor
// otherwise). So the modules that register those services come here, without the contributions
// (which are most of the bytes: this chunk is the first editor's wait).
// For suggest (contrib/suggest/browser/suggestController):
import 'monaco-editor/editor/contrib/suggest/browser/suggestMemory';
// for the hover (contrib/hover/browser/hoverContribution):
import 'monaco-editor/platform/actionWidget/browser/actionWidget';
import 'monaco-editor/editor/contrib/gotoSymbol/browser/symbolNavigation';
import 'monaco-editor/editor/contrib/peekView/browser/peekView';
import 'monaco-editor/editor/contrib/gotoError/browser/markerNavigationService';
import 'monaco-editor/editor/contrib/inlayHints/browser/inlayHintsController';
// for the JSON language's (every editor contribution: monaco-editor's internal/common/workers):
import 'monaco-editor/editor/contrib/codelens/browser/codeLensCache';
import 'monaco-editor/editor/contrib/documentSymbols/browser/outlineModel';
import 'monaco-editor/editor/common/services/treeViewsDndService';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

self.MonacoEnvironment = {
  // Only the base editor worker: the http language needs no language service.
  getWorker: () => new EditorWorker(),
};

export const HTTP_LANGUAGE = 'wirelab-http';

// Monaco starts its services (the theme service among them) on the first call that needs one:
// registering a language, defining a theme, making a model or an editor. From then on every icon
// registered (the suggestion list's and the hover's: monaco-suggest-hover.ts, 20 of them)
// rebuilds the whole icon style sheet, a few ms each. So nothing here starts them while this module
// evaluates: the JSON and GraphQL language modules import monaco-suggest-hover.ts after this one
// and call setUpMonaco() after it, and an http editor calls it before it is made.
let setUp = false;

/** The cells' HTTP language and the page's themes, once, before the first model or editor. */
export function setUpMonaco(): typeof monaco {
  if (setUp) return monaco;
  setUp = true;
  registerHttpLanguage();
  defineThemes();
  // the page's theme (the header's switch, or the system's while it follows the system)
  const applyTheme = () => monaco.editor.setTheme(currentTheme() === 'dark' ? 'wirelab-dark' : 'wirelab-light');
  onThemeChange(applyTheme);
  applyTheme();
  return monaco;
}

function registerHttpLanguage(): void {
  monaco.languages.register({ id: HTTP_LANGUAGE });
  monaco.languages.setLanguageConfiguration(HTTP_LANGUAGE, {
    comments: { lineComment: '#' },
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
  monaco.languages.setMonarchTokensProvider(HTTP_LANGUAGE, {
    defaultToken: '',
    tokenizer: {
      root: [
        [/^\s*#.*$/, 'comment'],
        [/^\s*$/, ''],
        [
          /^(\s*)([A-Za-z]+)(\s+)(\S+)((?:\s+HTTP\/\S+)?)(.*)$/,
          // the state changes on the target: Monarch skips trailing groups that matched nothing
          ['', 'keyword', '', { token: 'string.link', next: '@headers' }, 'type', 'invalid'],
        ],
        [/.*/, 'invalid'],
      ],
      headers: [
        [/^\s*#.*$/, 'comment'],
        [/^\s*$/, { token: '', next: '@body' }],
        [/^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)(:)(.*)$/, ['attribute.name', 'delimiter', 'attribute.value']],
        [/.*/, 'invalid'],
      ],
      body: [
        [/"(?:[^"\\]|\\.)*"(?=\s*:)/, 'string.key.json'],
        [/"(?:[^"\\]|\\.)*"/, 'string.value.json'],
        [/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/, 'number'],
        [/\b(?:true|false|null)\b/, 'keyword.json'],
        [/[{}[\],:]/, 'delimiter'],
      ],
    },
  });
}

function defineThemes(): void {
  // Colours match the page's tokens (web/app/app.css) so the editor sits in the cell seamlessly.
  monaco.editor.defineTheme('wirelab-light', {
    base: 'vs',
    inherit: true,
    rules: [
      { token: 'keyword', foreground: '1f55d0', fontStyle: 'bold' },
      { token: 'string.link', foreground: '0b6e69' },
      { token: 'type', foreground: '6b7280' },
      { token: 'attribute.name', foreground: '7c3aed' },
      { token: 'attribute.value', foreground: '161a21' },
      { token: 'delimiter', foreground: '6b7280' },
      { token: 'comment', foreground: '6b7280', fontStyle: 'italic' },
      { token: 'string.key.json', foreground: '9a3412' },
      { token: 'string.value.json', foreground: '0b6e69' },
      { token: 'number', foreground: '1d4ed8' },
      { token: 'keyword.json', foreground: '1f55d0' },
      { token: 'invalid', foreground: 'b42323', fontStyle: 'underline' },
    ],
    // line numbers at 4.8:1 (light) and 5:1 (dark) against the editor: WCAG 1.4.3 asks 4.5:1
    colors: { 'editor.background': '#ffffff', 'editorLineNumber.foreground': '#6b7280', 'editorGutter.background': '#ffffff' },
  });
  monaco.editor.defineTheme('wirelab-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [
      { token: 'keyword', foreground: '7aa5ff', fontStyle: 'bold' },
      { token: 'string.link', foreground: '5eead4' },
      { token: 'type', foreground: '9ca3af' },
      { token: 'attribute.name', foreground: 'c4a5ff' },
      { token: 'attribute.value', foreground: 'e7eaf0' },
      { token: 'delimiter', foreground: '9ca3af' },
      { token: 'comment', foreground: '8b95a5', fontStyle: 'italic' },
      { token: 'string.key.json', foreground: 'fdba74' },
      { token: 'string.value.json', foreground: '5eead4' },
      { token: 'number', foreground: '93c5fd' },
      { token: 'keyword.json', foreground: '7aa5ff' },
      { token: 'invalid', foreground: 'ff7b7b', fontStyle: 'underline' },
    ],
    colors: { 'editor.background': '#1a1f27', 'editorLineNumber.foreground': '#8b95a5', 'editorGutter.background': '#1a1f27' },
  });
}

export { monaco };
