import { useEffect, useState } from 'react';
import { useStrings } from '../../kit/lang-context.ts';
import { copyText } from '../../kit/copy-text.ts';
import { freshCurlToken } from '../../kit/session.ts';
import { curlCommand } from './curl-command.ts';
import type { HttpRequestText } from './parse-http-request.ts';
import { httpEditorStrings } from './strings.ts';

export function CopyCurlButton({ request }: { request: HttpRequestText }) {
  const t = useStrings(httpEditorStrings);
  const [state, setState] = useState<'idle' | 'copied' | { manual: string }>('idle');

  useEffect(() => {
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    const command = curlCommand(request, window.location.origin, await freshCurlToken());
    setState((await copyText(command)) ? 'copied' : { manual: command });
  };

  return (
    <>
      <button type="button" className="button button-quiet" onClick={copy} title={t.copyCurlHint} data-testid="copy-curl">
        {state === 'copied' ? `✓ ${t.copied}` : t.copyCurl}
      </button>
      {typeof state === 'object' && (
        <div className="curl-manual" role="alert">
          <p>{t.copyFailed}</p>
          <pre tabIndex={0}>{state.manual}</pre>
        </div>
      )}
    </>
  );
}
