import { useMemo } from 'react';
import { useSavedDraft } from '../saved-cell-state.ts';
import { parseProtobufCell } from './workbench-cell-config.ts';
import { workbenchDraftOf, workbenchMessages, type WorkbenchDraft } from './workbench-model.ts';

/**
 * What the workbench starts from and keeps: the message types to choose from, the cell's starting
 * type and JSON (and their encoding), and the student's draft of type, JSON and hex across reloads.
 */
export function useWorkbenchDraft(initialText: string, saveKey: string | undefined) {
  const types = useMemo(() => workbenchMessages(), []);
  const start = useMemo(() => {
    const parsed = parseProtobufCell(initialText);
    const config = parsed.ok ? parsed.config : { message: 'wirelab.users.v1.User', value: {} };
    return { typeName: config.message, json: JSON.stringify(config.value, null, 2) };
  }, [initialText]);

  const typeOf = (name: string) => types.find((type) => type.typeName === name);
  // the cell's starting value and its encoding: the student's edits are kept across reloads
  const original = useMemo<WorkbenchDraft>(() => workbenchDraftOf(typeOf(start.typeName), start.typeName, start.json), [start]);
  const { draft, edit, reset } = useSavedDraft(saveKey, original);
  return {
    types,
    start,
    typeOf,
    original,
    draft,
    reset,
    setTypeName: (name: string) => edit({ typeName: name }),
    setJsonText: (text: string) => edit({ jsonText: text }),
    setHexText: (text: string) => edit({ hexText: text }),
  };
}
