import { useEffect, useState } from 'react';
import { STARTERS_ZIP_PATH } from '../../contracts/own-server/check-result.ts';
import { InspectorDock } from '../lessons/inspector-dock.tsx';
import { useInspectorFocus } from '../lessons/inspector-focus.ts';
import { useStrings } from '../kit/lang-context.ts';
import { appStrings } from '../kit/strings.ts';
import { CheckForm } from './check-form.tsx';
import { rememberChoice, rememberedChoice, type Choice } from './remembered-choice.ts';
import { checkCommand, goStarterCommand, starterCommand } from './report-view.ts';
import { RunResult } from './run-view.tsx';
import { ownServerStrings } from './strings.ts';
import { useCheckRun } from './use-check-run.ts';
import '../lessons/lessons.css';
import './own-server.css';

/** `/en/my-server`: "check my server" — Wirelab runs one protocol's suite against the student's own server. */
export function OwnServerPage() {
  const t = useStrings(ownServerStrings);
  const app = useStrings(appStrings);
  const [choice, setChoice] = useState<Choice>(rememberedChoice);
  const checkRun = useCheckRun();
  // What a check's "open its bytes" asked the inspector to show (its connection to the student's server).
  const { focus, inspect } = useInspectorFocus();

  useEffect(() => {
    document.title = `${t.title} — ${app.appName}`;
  }, [t, app]);

  const change = (next: Partial<Choice>) => {
    const updated = { ...choice, ...next };
    setChoice(updated);
    rememberChoice(updated);
  };

  return (
    <div className="reader">
      <div className="own-server" data-testid="own-server-page">
        <h1>{t.title}</h1>
        <p className="own-server-intro">{t.intro}</p>
        <aside className="own-server-allowed" aria-labelledby="own-server-allowed-title">
          <h2 id="own-server-allowed-title">{t.allowedTitle}</h2>
          <p>{t.allowed}</p>
        </aside>
        <CheckForm choice={choice} onChange={change} checkRun={checkRun} onRun={() => void checkRun.start(choice)} />
        <RunResult checkRun={checkRun} headingLevel={2} onInspect={inspect} />
        <Help choice={choice} />
      </div>
      <InspectorDock focus={focus} />
    </div>
  );
}

function Help({ choice }: { choice: Choice }) {
  const t = useStrings(ownServerStrings);
  const goCommand = goStarterCommand(choice.protocol, choice.target);
  return (
    <section className="own-server-help">
      <h2>{t.startersTitle}</h2>
      <p>{choice.protocol === 'mqtt' ? t.startersMqtt : t.starters}</p>
      <pre data-testid="own-server-starter-command">{starterCommand(choice.protocol, choice.target)}</pre>
      {goCommand !== null && (
        <>
          <p>{t.startersGo}</p>
          <pre data-testid="own-server-go-starter-command">{goCommand}</pre>
        </>
      )}
      <p>
        <a href={STARTERS_ZIP_PATH} download data-testid="own-server-starters-zip">
          {t.startersZip}
        </a>
      </p>
      <h2>{t.cliTitle}</h2>
      <p>{t.cli}</p>
      <pre data-testid="own-server-cli-command">{checkCommand(choice.protocol, choice.target)}</pre>
    </section>
  );
}
