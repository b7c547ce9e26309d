// The suggestion list and the hover box, for the editors that offer them (the GraphQL and the JSON
// ones): imported by their language modules before they create an editor, since an editor takes
// the contributions registered when it is created. Their services are registered with Monaco
// itself (http/monaco-setup.ts), so they may arrive after the first editor started.
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/editor/contrib/hover/browser/hoverContribution';
