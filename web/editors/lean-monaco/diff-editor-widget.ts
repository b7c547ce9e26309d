// Stands in for Monaco's diff editor widget (editor/browser/widget/diffEditor/diffEditorWidget.js)
// in the first editor's Monaco: editor.api imports it only for monaco.editor.createDiffEditor,
// which no cell calls, and it brought 25 modules and 11 kB of style sheet into the first editor's
// wait (vite.config.ts, leanMonacoPlugin). The JSON language's chunk, which registers every
// contribution, still carries the real widget for its diff commands.
export class DiffEditorWidget {
  constructor() {
    throw new Error("Wirelab's Monaco has no diff editor (web/editors/lean-monaco)");
  }
}
