import { useStrings } from '../kit/lang-context.ts';
import { useTabMovesFocus } from './code-editor-host.ts';
import { editorStrings } from './strings.ts';
import './editor-keys-hint.css';

/**
 * How a keyboard leaves the editor before it (WCAG 2.1.2 asks that a non-standard way out be
 * told). Placed right after the editor's host; shown while the editor has focus.
 */
export function EditorKeysHint() {
  const t = useStrings(editorStrings);
  const tabMovesFocus = useTabMovesFocus();
  return (
    <p className="editor-keys-hint" data-testid="editor-keys-hint">
      {tabMovesFocus ? t.keysHintTabMoves : t.keysHint}
    </p>
  );
}
