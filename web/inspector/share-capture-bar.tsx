import { Suspense, useContext, useState } from 'react';
import { SHARED_CAPTURE_EXPIRY_NAMES, type SharedCaptureExpiry } from '../../contracts/shared-capture/shared-capture.ts';
import { ClassroomPartsContext } from '../kit/classroom-parts.ts';
import { useLang, useStrings } from '../kit/lang-context.ts';
import type { CaptureStore } from './capture-store.ts';
import { expiryText, shareCapture, type ShareOutcome } from './share-capture.ts';
import { shownCapture } from './shown-capture.ts';
import { shareStrings } from './share-strings.ts';

/**
 * «Поделиться» / "Share": the capture shown (live or an opened file) kept on the server for the
 * time the sharer picks, and its link to copy. Only in the page's own inspector (someone else's
 * captures, the teacher's, are not this page's to share), and not on a HAR (no bytes to share).
 * What goes is what the view shows (shown-capture.ts): with the app's traffic hidden, without it.
 */
export function ShareCaptureBar({
  store,
  disabled,
  showApp,
  hiddenCount,
}: {
  store: CaptureStore;
  disabled: boolean;
  /** the view shows the app's own requests (or the capture is a file: all its own) */
  showApp: boolean;
  /** the app's own requests the view hides now */
  hiddenCount: number;
}) {
  const t = useStrings(shareStrings);
  const lang = useLang();
  const [open, setOpen] = useState(false);
  const [expires, setExpires] = useState<SharedCaptureExpiry>('1d');
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<ShareOutcome | null>(null);

  const create = async () => {
    setSending(true);
    setOutcome(null);
    const shown = shownCapture(store.catchUpNow(), (conn) => store.chunksOf(conn), showApp);
    setOutcome(await shareCapture(shown.pcapng, shown.appRequestsLeftOut, expires, lang));
    setSending(false);
  };

  return (
    <div className="insp-share-bar">
      <button
        type="button"
        className="insp-button"
        data-testid="insp-share"
        aria-expanded={open}
        title={t.shareHint}
        disabled={disabled}
        onClick={() => setOpen(!open)}
      >
        {t.share}
      </button>
      {open && (
        <span className="insp-share-panel" data-testid="insp-share-panel">
          <label>
            {t.expiresIn}{' '}
            <select data-testid="insp-share-expiry" value={expires} onChange={(event) => setExpires(event.currentTarget.value as SharedCaptureExpiry)}>
              {SHARED_CAPTURE_EXPIRY_NAMES.map((name) => (
                <option key={name} value={name}>
                  {t.expiry[name]}
                </option>
              ))}
            </select>
          </label>
          {!showApp && hiddenCount > 0 && (
            <span className="insp-share-left-out" data-testid="insp-share-left-out">
              {t.leftOutHere(hiddenCount)}
            </span>
          )}
          <button type="button" className="insp-button" data-testid="insp-share-create" disabled={sending || disabled} onClick={() => void create()}>
            {sending ? t.sharing : t.createLink}
          </button>
          {outcome?.ok && <SharedLink key={outcome.created.id} id={outcome.created.id} link={outcome.link} expiresAt={outcome.created.expiresAt} />}
          {outcome && !outcome.ok && (
            <span className="insp-share-failure" role="alert" data-testid="insp-share-failure">
              {t.failed(outcome.why)}
            </span>
          )}
        </span>
      )}
    </div>
  );
}

/** The link of a capture just shared: to copy, until when it works, and — in a tab that leads a class — «Показать классу». */
function SharedLink({ id, link, expiresAt }: { id: string; link: string; expiresAt: number }) {
  const t = useStrings(shareStrings);
  const lang = useLang();
  const [copied, setCopied] = useState(false);
  // the app shell provides it (web/kit/classroom-parts.ts)
  const ShowToClass = useContext(ClassroomPartsContext)?.ShowCaptureToClass;
  return (
    <span className="insp-share-done" data-testid="insp-share-done" data-id={id}>
      <input
        className="insp-share-link"
        data-testid="insp-share-link"
        readOnly
        aria-label={t.link}
        value={link}
        onFocus={(event) => event.currentTarget.select()}
      />
      <button
        type="button"
        className="insp-button"
        data-testid="insp-share-copy"
        onClick={() =>
          void navigator.clipboard?.writeText(link).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        {copied ? t.copied : t.copy}
      </button>
      <span>{t.expiresAt(expiryText(expiresAt, lang))}</span>
      {ShowToClass && (
        <Suspense fallback={null}>
          <ShowToClass captureId={id} openHere />
        </Suspense>
      )}
    </span>
  );
}
