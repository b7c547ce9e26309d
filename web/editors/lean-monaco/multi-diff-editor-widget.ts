// Stands in for Monaco's multi-file diff editor (editor/browser/widget/multiDiffEditor/
// multiDiffEditorWidget.js) in the first editor's Monaco: editor.api imports it only for
// monaco.editor.createMultiFileDiffEditor, which no cell calls (vite.config.ts, leanMonacoPlugin).
export class MultiDiffEditorWidget {
  constructor() {
    throw new Error("Wirelab's Monaco has no multi-file diff editor (web/editors/lean-monaco)");
  }
}
