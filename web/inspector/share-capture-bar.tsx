import { useState } from 'react';
import { SHARED_CAPTURE_EXPIRY_NAMES, type SharedCaptureExpiry } from '../../contracts/shared-capture/shared-capture.ts';
import { useLang, useStrings } from '../kit/lang-context.ts';
import type { CaptureStore } from './capture-store.ts';
import { expiryText, shareCapture, type ShareOutcome } from './share-capture.ts';
import { shareStrings } from './share-strings.ts';

/**
 * «Поделиться» / "Share": the capture shown (live or an opened file) kept on the server for the
 * time the sharer picks, and its link to copy. Only in the page's own inspector (someone else's
 * captures, the teacher's, are not this page's to share), and not on a HAR (no bytes to share).
 */
export function ShareCaptureBar({ store, disabled }: { store: CaptureStore; disabled: boolean }) {
  const t = useStrings(shareStrings);
  const lang = useLang();
  const [open, setOpen] = useState(false);
  const [expires, setExpires] = useState<SharedCaptureExpiry>('1d');
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<ShareOutcome | null>(null);
  const [copied, setCopied] = useState(false);

  const create = async () => {
    setSending(true);
    setOutcome(null);
    setCopied(false);
    setOutcome(await shareCapture(store.toPcapng(), expires, lang));
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
          <button type="button" className="insp-button" data-testid="insp-share-create" disabled={sending || disabled} onClick={() => void create()}>
            {sending ? t.sharing : t.createLink}
          </button>
          {outcome?.ok && (
            <span className="insp-share-done" data-testid="insp-share-done" data-id={outcome.created.id}>
              <input
                className="insp-share-link"
                data-testid="insp-share-link"
                readOnly
                aria-label={t.link}
                value={outcome.link}
                onFocus={(event) => event.currentTarget.select()}
              />
              <button
                type="button"
                className="insp-button"
                data-testid="insp-share-copy"
                onClick={() =>
                  void navigator.clipboard?.writeText(outcome.link).then(
                    () => setCopied(true),
                    () => setCopied(false),
                  )
                }
              >
                {copied ? t.copied : t.copy}
              </button>
              <span>{t.expiresAt(expiryText(outcome.created.expiresAt, lang))}</span>
            </span>
          )}
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
