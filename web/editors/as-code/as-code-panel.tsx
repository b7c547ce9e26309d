import { useEffect, useState } from 'react';
import { useLang, useStrings } from '../../kit/lang-context.ts';
import { copyText } from '../../kit/copy-text.ts';
import { asCode } from './generate.ts';
import { isGenerated } from './generated.ts';
import { pythonProtocCommand, JAVASCRIPT_STUBS_COMMAND } from './grpc-code.ts';
import { GO_STUBS_COMMAND } from './grpc-go-code.ts';
import { chooseLanguage, useAsCodeLanguage } from './language-choice.ts';
import { AS_CODE_LANGUAGES, LANGUAGE_NAMES } from './languages.ts';
import type { AsCodeSpec } from './spec.ts';
import { asCodeStrings } from './strings.ts';

/** A copy button for one piece of text; when the browser refuses, says so (the text stays selectable above it). */
function CopyButton({ text, testId }: { text: string; testId: string }) {
  const t = useStrings(asCodeStrings);
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <>
      <button type="button" className="button button-quiet" data-testid={testId} onClick={async () => setState((await copyText(text)) ? 'copied' : 'failed')}>
        {state === 'copied' ? `✓ ${t.copied}` : t.copy}
      </button>
      {state === 'failed' && <span role="alert">{t.copyFailed}</span>}
    </>
  );
}

/** The program for one cell, in the chosen language: install line, code, notes, and for RPCs where the protos are. */
export function AsCodePanel({ spec, token, origin }: { spec: AsCodeSpec; token: string; origin: string }) {
  const t = useStrings(asCodeStrings);
  const lang = useLang();
  const language = useAsCodeLanguage();
  const result = asCode(spec, language, { origin, token, lang });
  return (
    <div className="as-code-panel" data-testid="as-code-panel">
      <div className="as-code-languages" role="radiogroup" aria-label={t.language}>
        {AS_CODE_LANGUAGES.map((each) => (
          <label key={each} className="as-code-language">
            <input type="radio" name="as-code-language" value={each} checked={each === language} onChange={() => chooseLanguage(each)} />
            {each === 'terminal' ? t.terminal : LANGUAGE_NAMES[each]}
          </label>
        ))}
      </div>
      {isGenerated(result) ? (
        <>
          <p className="as-code-line">
            <strong>{t.tool}:</strong> {result.tool}
          </p>
          <p className="as-code-line">
            <strong>{t.install}:</strong> <code data-testid="as-code-install">{result.install}</code>{' '}
            <CopyButton text={result.install} testId="as-code-copy-install" />
          </p>
          {result.run && (
            <p className="as-code-line">
              <strong>{t.run}:</strong> <code>{result.run}</code>
            </p>
          )}
          <pre className="as-code-code" tabIndex={0} data-testid="as-code-code" lang="en">
            {result.code}
          </pre>
          <CopyButton text={result.code} testId="as-code-copy" />
          {result.notes.map((note) => (
            <p key={note.en} className="as-code-note">
              {note[lang]}
            </p>
          ))}
          <p className="as-code-note">{spec.kind === 'mqtt' ? t.tokenNoteMqtt : t.tokenNote}</p>
        </>
      ) : (
        <p className="as-code-note" data-testid="as-code-unsupported">
          {result.unsupported[lang]}
        </p>
      )}
      {spec.kind === 'grpc' && (
        <details className="as-code-protos">
          <summary>{t.protosTitle}</summary>
          <p>{t.protosText}</p>
          <p>{t.protosPython}</p>
          <pre tabIndex={0}>{pythonProtocCommand(spec.protoFile)}</pre>
          <p>{t.protosGo}</p>
          <pre tabIndex={0}>{GO_STUBS_COMMAND}</pre>
          <p>{t.protosJavaScript}</p>
          <pre tabIndex={0}>{JAVASCRIPT_STUBS_COMMAND}</pre>
        </details>
      )}
    </div>
  );
}
