import { useMemo } from 'react';
import { useLang, useStrings } from '../../kit/lang-context.ts';
import type { CellProps } from '../cell-props.ts';
import { CheckForm } from '../../own-server/check-form.tsx';
import { RunResult } from '../../own-server/run-view.tsx';
import { ownServerStrings } from '../../own-server/strings.ts';
import { useCheckRun } from '../../own-server/use-check-run.ts';
import { ResetDraftButton } from '../reset-draft-button.tsx';
import { useSavedDraft } from '../saved-cell-state.ts';
import { BadCellConfig } from '../console-kit/console-log.tsx';
import { LookAgainButton } from '../look-again-button.tsx';
import { parseOwnServerCell, type OwnServerCellConfig } from './own-server-cell-config.ts';
import { useRunExchange } from './use-run-exchange.ts';

/**
 * "Check my server" inside a lesson: the page `/…/my-server`'s form and report (web/own-server),
 * started from the cell's protocol and target. The run is a real `POST /_wirelab/own-server/checks`
 * of this session, captured like any request: the lesson's exercises read its report.
 */
export function OwnServerCell({ cellId, initialText, saveKey, onExchange, onInspect }: CellProps) {
  const parsed = useMemo(() => parseOwnServerCell(initialText), [initialText]);
  if (!parsed.ok) return <BadCellConfig problems={parsed.problems} />;
  return <OwnServerCheck cellId={cellId} config={parsed.config} saveKey={saveKey} onExchange={onExchange} onInspect={onInspect} />;
}

function OwnServerCheck({
  cellId,
  config,
  saveKey,
  onExchange,
  onInspect,
}: { cellId: string; config: OwnServerCellConfig } & Pick<CellProps, 'saveKey' | 'onExchange' | 'onInspect'>) {
  const t = useStrings(ownServerStrings);
  const lang = useLang();
  const { draft, edit, reset, changed } = useSavedDraft(saveKey, config);
  const checkRun = useCheckRun();
  // The exchange goes to the reader, so an exercise's miss names this cell's run, not another's.
  const runExchange = useRunExchange(onExchange);

  const run = () => {
    // a run going on keeps its number: its exchange is still the one to hand over
    if (checkRun.isRunning) return;
    void checkRun.start(draft, runExchange.begin());
  };

  return (
    <section className="own-server-cell" data-testid="cell" data-cell-kind="own-server" data-cell-id={cellId} aria-label={t.cellLabel(cellId)} lang={lang}>
      <CheckForm choice={draft} onChange={edit} checkRun={checkRun} onRun={run} />
      <ResetDraftButton changed={changed} onReset={reset} disabled={checkRun.isRunning} />
      <RunResult checkRun={checkRun} headingLevel={3} onInspect={onInspect} />
      {runExchange.missing && (
        <p className="cell-message cell-message-warning" data-testid="capture-missing">
          {t.runNotCaptured} <LookAgainButton lookAgain={runExchange.missing.lookAgain} />
        </p>
      )}
    </section>
  );
}
