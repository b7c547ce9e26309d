import { useState } from 'react';
import { COMPLETE_STARTERS_ZIP_PATH } from '../../contracts/own-server/check-result.ts';
import { TEACHER_KEY_HEADER } from '../../contracts/class-channel/messages.ts';
import { useStrings } from '../kit/lang-context.ts';
import { downloadBytes } from '../inspector/download-file.ts';
import { classroomStrings } from './strings.ts';

// The starters with their complete versions, for the teacher (issue 37): the students' zip leaves
// complete/ out. The route wants the teacher key in a header, never in a URL a link would leak
// into history and logs, so the desk fetches the zip and hands it over as a download.

type Download = 'idle' | 'loading' | 'failed';

export function CompleteStartersDownload({ teacherKey }: { teacherKey: string }) {
  const t = useStrings(classroomStrings);
  const [download, setDownload] = useState<Download>('idle');
  const fetchZip = async () => {
    setDownload('loading');
    try {
      const response = await fetch(COMPLETE_STARTERS_ZIP_PATH, { headers: { [TEACHER_KEY_HEADER]: teacherKey } });
      if (!response.ok) throw new Error(`status ${response.status}`);
      downloadBytes(new Uint8Array(await response.arrayBuffer()), 'wirelab-starters-complete.zip', 'application/zip');
      setDownload('idle');
    } catch {
      setDownload('failed');
    }
  };
  return (
    <p className="class-complete-starters">
      <button type="button" className="button" data-testid="class-complete-starters" disabled={download === 'loading'} onClick={() => void fetchZip()}>
        {t.completeStarters}
      </button>{' '}
      <span className="muted">{t.completeStartersHint}</span>
      {download === 'failed' && (
        <span className="cell-message cell-message-error" role="alert" data-testid="class-complete-starters-failed">
          {' '}
          {t.completeStartersFailed}
        </span>
      )}
    </p>
  );
}
