import { useCallback } from 'react';
import { useSavedDraft, type SavedDraft } from '../saved-cell-state.ts';

/** A console's draft (saved across reloads, saved-cell-state.ts) with a setter per field for its inputs. */
export interface ConsoleDraft<T extends object> extends SavedDraft<T> {
  /** `field('url')` is the input's onChange: it changes that field alone */
  field<K extends keyof T>(key: K): (value: T[K]) => void;
}

export function useConsoleDraft<T extends object>(saveKey: string | undefined, original: T): ConsoleDraft<T> {
  const saved = useSavedDraft(saveKey, original);
  const { edit } = saved;
  const field = useCallback(
    <K extends keyof T>(key: K) =>
      (value: T[K]) =>
        edit({ [key]: value } as unknown as Partial<T>),
    [edit],
  );
  return { ...saved, field };
}
