import { useStrings } from './lang-context.ts';
import { appStrings } from './strings.ts';

export function LoadingNote() {
  const t = useStrings(appStrings);
  return (
    <p className="loading-note" role="status">
      {t.loading}
    </p>
  );
}
