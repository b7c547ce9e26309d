import { useLang, useStrings } from '../kit/lang-context.ts';
import { SERVER_PROTOCOL_NAMES, serverCellLabel, type MemberServerChecks } from '../../contracts/class-channel/messages.ts';
import { summaryLine, summaryLineRu } from '../../contracts/own-server/check-result.ts';
import { PanelHeader } from './panel-header.tsx';
import { classroomStrings } from './strings.ts';

/**
 * One student's latest run of one protocol's suite, opened from its cell on the board: when, the
 * counts, the port, whether it reached Wirelab itself, and per check its id, verdict and what
 * differed in the teacher's language — what the server kept of its own run, nothing of the
 * student's server's bytes (server/classroom/README.md, "A student's own server").
 */
export function ServerChecksPanel({
  checks,
  shownName,
  onClose,
}: {
  checks: MemberServerChecks;
  /** the name the board shows: "Student 4821" while names are hidden (the projector) */
  shownName: string;
  onClose(): void;
}) {
  const t = useStrings(classroomStrings);
  const lang = useLang();
  const { cell } = checks;
  const time = new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const counts = cell ? { passed: cell.passed, failed: cell.failed, notOffered: cell.notOffered } : null;

  return (
    <section
      className="class-attempts"
      data-testid="server-checks"
      data-member-id={checks.memberId}
      data-protocol={checks.protocol}
      aria-labelledby="server-checks-title"
      onKeyDown={(event) => event.key === 'Escape' && onClose()}
    >
      <PanelHeader
        titleId="server-checks-title"
        title={t.serverChecksOf(shownName, SERVER_PROTOCOL_NAMES[checks.protocol])}
        focusKey={`${checks.memberId}/${checks.protocol}`}
        closeTestId="server-checks-close"
        onClose={onClose}
      />
      {!cell || !counts ? (
        <p className="muted">{t.serverNoRun}</p>
      ) : (
        <>
          <p data-testid="server-checks-summary">
            <strong>{serverCellLabel(cell)}</strong> · {lang === 'ru' ? summaryLineRu(counts) : summaryLine(counts)} · {t.serverRanAt}{' '}
            <time dateTime={new Date(cell.ms).toISOString()}>{time.format(cell.ms)}</time>
            {cell.port > 0 && <> · {t.serverPort(cell.port)}</>}
          </p>
          {cell.targetIsWirelab && (
            <p className="cell-message cell-message-warning" data-testid="server-checks-wirelab">
              {t.serverWirelab}
            </p>
          )}
          <ol className="class-server-checks-list">
            {checks.checks.map((check) => (
              <li key={check.id} data-testid="server-check" data-id={check.id} data-outcome={check.outcome}>
                <code>{check.id}</code>{' '}
                <span className={check.outcome === 'pass' ? 'class-attempt-passed' : check.outcome === 'fail' ? 'class-attempt-missed' : 'muted'}>
                  {check.outcome === 'pass' ? '✓' : check.outcome === 'fail' ? '✗' : '–'} {t.serverOutcome[check.outcome]}
                </span>
                {check.difference && <span className="class-server-check-difference"> — {check.difference[lang]}</span>}
              </li>
            ))}
          </ol>
          <p className="muted">{t.serverKept}</p>
        </>
      )}
    </section>
  );
}
