import { useState } from 'react';
import { useStrings } from '../kit/lang-context.ts';
import { exerciseStrings } from './exercise-strings.ts';

/** The exercise's hints, shown one at a time on request. */
export function ExerciseHints({ hintsHtml }: { hintsHtml: string[] }) {
  const t = useStrings(exerciseStrings);
  const [hintsShown, setHintsShown] = useState(0);
  return (
    <>
      {hintsHtml.slice(0, hintsShown).map((hint, index) => (
        <div key={index} className="hint">
          <p className="hint-label">{t.hint(index + 1)}</p>
          <div className="prose" dangerouslySetInnerHTML={{ __html: hint }} />
        </div>
      ))}
      {hintsShown < hintsHtml.length && (
        <button type="button" className="button button-quiet" onClick={() => setHintsShown(hintsShown + 1)}>
          {t.showHint(hintsShown + 1, hintsHtml.length)}
        </button>
      )}
    </>
  );
}
