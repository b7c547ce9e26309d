import { useEffect, useState } from 'react';
import { useStrings } from '../app/lang-context.ts';
import { appStrings } from '../app/strings.ts';
import { CheckForm } from './check-form.tsx';
import { rememberChoice, rememberedChoice, type Choice } from './remembered-choice.ts';
import { checkCommand, starterCommand } from './report-view.ts';
import { RunResult } from './run-view.tsx';
import { ownServerStrings } from './strings.ts';
import { useCheckRun } from './use-check-run.ts';
import './own-server.css';

/** `/en/my-server`: "check my server" — Wirelab runs one protocol's suite against the student's own server. */
export function OwnServerPage() {
  const t = useStrings(ownServerStrings);
  const app = useStrings(appStrings);
  const [choice, setChoice] = useState<Choice>(rememberedChoice);
  const checkRun = useCheckRun();

  useEffect(() => {
    document.title = `${t.title} — ${app.appName}`;
  }, [t, app]);

  const change = (next: Partial<Choice>) => {
    const updated = { ...choice, ...next };
    setChoice(updated);
    rememberChoice(updated);
  };

  return (
    <div className="own-server" data-testid="own-server-page">
      <h1>{t.title}</h1>
      <p className="own-server-intro">{t.intro}</p>
      <aside className="own-server-allowed" aria-labelledby="own-server-allowed-title">
        <h2 id="own-server-allowed-title">{t.allowedTitle}</h2>
        <p>{t.allowed}</p>
      </aside>
      <CheckForm choice={choice} onChange={change} checkRun={checkRun} onRun={() => void checkRun.start(choice)} />
      <RunResult checkRun={checkRun} headingLevel={2} />
      <Help choice={choice} />
    </div>
  );
}

function Help({ choice }: { choice: Choice }) {
  const t = useStrings(ownServerStrings);
  return (
    <section className="own-server-help">
      <h2>{t.startersTitle}</h2>
      <p>{choice.protocol === 'mqtt' ? t.startersMqtt : t.starters}</p>
      <pre data-testid="own-server-starter-command">{starterCommand(choice.protocol, choice.target)}</pre>
      <h2>{t.cliTitle}</h2>
      <p>{t.cli}</p>
      <pre data-testid="own-server-cli-command">{checkCommand(choice.protocol, choice.target)}</pre>
    </section>
  );
}
