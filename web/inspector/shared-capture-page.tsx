import { Suspense, useContext, useEffect, useRef, useState } from 'react';
import { ClassroomPartsContext } from '../kit/classroom-parts.ts';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { Inspector } from './inspector.tsx';
import { getOpenedCaptures, useOpenedCaptures, type FileLike } from './opened-captures.ts';
import { deleteSharedCapture, expiryText, readSharedCapture } from './share-capture.ts';
import { shareStrings } from './share-strings.ts';

type PageState =
  | { kind: 'loading' }
  | { kind: 'shown'; expiresAt: number; owner: boolean; appRequestsLeftOut: number }
  | { kind: 'missing' }
  | { kind: 'failed'; why: string }
  | { kind: 'deleted' };

/**
 * `/<lang>/capture/<id>`: a capture someone shared (contracts/shared-capture), read-only. Its
 * stored pcapng opens in the inspector as any opened file does (opened-captures.ts): the same
 * view, the same decoders, the bytes as the server keeps them. The session that shared it may
 * delete it here.
 */
export function SharedCapturePage({ id }: { id: string }) {
  const t = useStrings(shareStrings);
  const lang = useLang();
  const files = getOpenedCaptures();
  const filesState = useOpenedCaptures(files);
  const [state, setState] = useState<PageState>({ kind: 'loading' });
  const [deleteFailure, setDeleteFailure] = useState<string | null>(null);
  const file = useRef<FileLike | null>(null);
  const name = `wirelab-shared-${id}.pcapng`;
  // in a tab that leads a class: «Показать классу» (web/classroom/show-capture-to-class.tsx, through the app shell)
  const ShowToClass = useContext(ClassroomPartsContext)?.ShowCaptureToClass;

  useEffect(() => {
    let gone = false;
    void readSharedCapture(id, lang).then((read) => {
      if (gone) return;
      if (read.kind !== 'found') return setState(read);
      file.current = { name, size: read.bytes.byteLength, arrayBuffer: async () => read.bytes.slice(0) };
      void files.open(file.current);
      setState({ kind: 'shown', expiresAt: read.expiresAt, owner: read.owner, appRequestsLeftOut: read.appRequestsLeftOut });
    });
    return () => {
      gone = true;
      if (files.getSnapshot().opened?.name === name) files.close();
    };
    // the language only words the answers: a new id is a new page (its key)
  }, [id]);

  const opened = filesState.opened?.name === name || filesState.failure?.name === name;
  const remove = async () => {
    const failure = await deleteSharedCapture(id, lang);
    setDeleteFailure(failure);
    if (failure === null) {
      if (files.getSnapshot().opened?.name === name) files.close();
      setState({ kind: 'deleted' });
    }
  };

  return (
    <section className="shared-capture" data-testid="shared-capture" data-state={state.kind}>
      <h1>{t.sharedTitle}</h1>
      {state.kind === 'loading' && <p>{t.loading}</p>}
      {state.kind === 'missing' && <p role="alert">{t.notFound}</p>}
      {state.kind === 'failed' && <p role="alert">{t.loadFailed(state.why)}</p>}
      {state.kind === 'deleted' && <p role="status">{t.deleted}</p>}
      {state.kind === 'shown' && (
        <>
          <p className="shared-capture-head">
            <span data-testid="shared-capture-expiry">{t.readOnly(expiryText(state.expiresAt, lang))}</span>
            {state.owner && (
              <button type="button" className="insp-button" data-testid="shared-capture-delete" title={t.deleteHint} onClick={() => void remove()}>
                {t.delete}
              </button>
            )}
            {deleteFailure && <span role="alert">{deleteFailure}</span>}
            {ShowToClass && (
              <Suspense fallback={null}>
                <ShowToClass captureId={id} />
              </Suspense>
            )}
          </p>
          {state.appRequestsLeftOut > 0 && (
            <p className="shared-capture-left-out" data-testid="shared-capture-left-out">
              {t.leftOut(state.appRequestsLeftOut)}
            </p>
          )}
          {opened ? (
            <Inspector sharedLink />
          ) : filesState.reading?.name === name ? (
            <p>{t.loading}</p>
          ) : (
            <button type="button" className="insp-button" data-testid="shared-capture-again" onClick={() => file.current && void files.open(file.current)}>
              {t.openAgain}
            </button>
          )}
        </>
      )}
    </section>
  );
}
