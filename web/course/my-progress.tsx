import { useState, type ChangeEvent } from 'react';
import { useLang, useStrings } from '../kit/lang-context.ts';
import {
  applyProgressFile,
  collectProgressFile,
  parseProgressFile,
  progressFileSummary,
  type ProgressFile,
  type ProgressFileError,
} from './course-progress-file.ts';
import { courseStrings } from './strings.ts';

export const MY_PROGRESS_ID = 'my-progress';

type ImportState =
  | { step: 'idle' }
  | { step: 'confirm'; file: ProgressFile }
  | { step: 'done' }
  | { step: 'refused'; message: string }
  | { step: 'exported'; name: string };

function errorMessage(t: (typeof courseStrings)['en'], error: ProgressFileError): string {
  switch (error.kind) {
    case 'too-large':
      return t.importErrors.tooLarge;
    case 'not-json':
      return t.importErrors.notJson;
    case 'foreign':
      return t.importErrors.foreign;
    case 'newer-version':
      return t.importErrors.newer(error.version);
    case 'invalid':
      return t.importErrors.invalid(error.at);
  }
}

function download(file: ProgressFile): string {
  const name = `wirelab-progress-${file.exportedAt.slice(0, 10)}.json`;
  const url = URL.createObjectURL(new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/**
 * "My progress": the student's own things to a file and back (course-progress-file.ts). An import
 * is read and checked whole first, then shown and confirmed; a refused file changes nothing.
 */
export function MyProgress() {
  const lang = useLang();
  const t = useStrings(courseStrings);
  const [state, setState] = useState<ImportState>({ step: 'idle' });

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.currentTarget.files?.[0];
    // the same file chosen again must fire a change again
    event.currentTarget.value = '';
    if (!chosen) return;
    let text: string;
    try {
      text = await chosen.text();
    } catch {
      setState({ step: 'refused', message: t.importErrors.unreadable });
      return;
    }
    const parsed = parseProgressFile(text);
    setState(parsed.ok ? { step: 'confirm', file: parsed.file } : { step: 'refused', message: errorMessage(t, parsed.error) });
  };

  const replace = (file: ProgressFile) => {
    try {
      applyProgressFile(localStorage, file);
    } catch {
      setState({ step: 'refused', message: t.importErrors.storage });
      return;
    }
    // the stores (progress, quiz answers) re-read on a storage event, as they do for another tab's change
    window.dispatchEvent(new StorageEvent('storage'));
    // The passes come into this page only: a class board counts what the class's server saw the
    // student do (issue 35), so nothing is reported to a class (applyProgressFile marks them imported).
    setState({ step: 'done' });
  };

  return (
    <section className="my-progress" id={MY_PROGRESS_ID} aria-labelledby="my-progress-title" data-testid="my-progress" tabIndex={-1}>
      <h2 id="my-progress-title">{t.myProgressTitle}</h2>
      <p>{t.myProgressIntro}</p>
      <div className="my-progress-actions">
        <button
          type="button"
          className="button"
          data-testid="progress-export"
          onClick={() => setState({ step: 'exported', name: download(collectProgressFile(localStorage, new Date())) })}
        >
          {t.exportProgress}
        </button>
        <label className="button my-progress-import">
          {t.importProgress}
          <input type="file" accept="application/json,.json" className="visually-hidden" data-testid="progress-import" onChange={choose} />
        </label>
      </div>
      {state.step === 'exported' && (
        <p role="status" data-testid="progress-exported">
          {t.exported(state.name)}
        </p>
      )}
      {state.step === 'confirm' && (
        <div className="my-progress-confirm" role="group" aria-label={t.importReplace} data-testid="progress-import-confirm">
          <p>{confirmText(t, lang, state.file)}</p>
          <button type="button" className="button button-danger" data-testid="progress-import-replace" onClick={() => replace(state.file)} autoFocus>
            {t.importReplace}
          </button>{' '}
          <button type="button" className="button" onClick={() => setState({ step: 'idle' })}>
            {t.cancel}
          </button>
        </div>
      )}
      {state.step === 'done' && (
        <p role="status" className="cell-message quiz-right" data-testid="progress-imported">
          {t.imported}
        </p>
      )}
      {state.step === 'refused' && (
        <p role="alert" className="cell-message cell-message-warning" data-testid="progress-import-refused">
          {state.message}
        </p>
      )}
    </section>
  );
}

function confirmText(t: (typeof courseStrings)['en'], lang: string, file: ProgressFile): string {
  const summary = progressFileSummary(file);
  const date = new Date(file.exportedAt).toLocaleString(lang === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'long', timeStyle: 'short' });
  return t.importConfirm(date, summary.exercises, summary.quiz, summary.cells);
}
