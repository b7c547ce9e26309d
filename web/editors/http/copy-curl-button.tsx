import { useEffect, useState } from 'react';
import { useStrings } from '../../app/lang-context.ts';
import { freshCurlToken } from '../../app/session.ts';
import { curlCommand } from './curl-command.ts';
import type { HttpRequestText } from './parse-http-request.ts';
import { httpEditorStrings } from './strings.ts';

/**
 * The Clipboard API exists only in secure contexts; a classroom LAN serves plain http from an IP
 * address, so fall back to the old selection copy, and failing that, show the command to copy by hand.
 */
async function copyText(text: string): Promise<boolean> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // fall through to the selection copy
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  return copied;
}

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
