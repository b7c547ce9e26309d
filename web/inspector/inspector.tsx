import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useStrings } from '../kit/lang-context.ts';
import { isAppTraffic } from '../../contracts/exercise-checks/app-traffic.ts';
import { getCaptureStore, useCaptures, type CaptureStore } from './capture-store.ts';
import { ExchangeDetail } from './exchange-detail.tsx';
import { selectionKey as keyOf, type Selection } from './exchange-sections.ts';
import { useSelectedDetail } from './use-selected-detail.ts';
import { ExchangeTimeline } from './exchange-timeline.tsx';
import { shownTraffic } from './shown-traffic.ts';
import { inspectorStrings } from './strings.ts';
import { exportPcapng, InspectorToolbar } from './inspector-toolbar.tsx';
import { useKeepRowInView } from './use-keep-row-in-view.ts';
import { captureFileStrings } from './capture-file-strings.ts';
import { OpenCaptureBar, useCaptureFileDrop } from './open-capture-bar.tsx';
import { getOpenedCaptures, useOpenedCaptures } from './opened-captures.ts';
import { pointAtField, pointAtSelection } from './opened-pointer.ts';
import { HarView } from './har-view.tsx';
import { ReplayStepper } from './replay-stepper.tsx';
import { useReplay } from './use-replay.ts';
import { ShareCaptureBar } from './share-capture-bar.tsx';
import './inspector.css';
import './inspector-timeline.css';
import './inspector-detail.css';
import './inspector-hex.css';
import './capture-file.css';

export interface InspectorProps {
  /**
   * What to show (e.g. the exchange a cell just ran, or a console's WebSocket frame); by default
   * the newest exchange that is not the app's own.
   */
  focus?: Selection;
  /** for tests; the page's store otherwise */
  store?: CaptureStore;
  /** told what the inspector shows whenever that changes (the quiz's "find it in the bytes") */
  onSelectionChange?(selection: Selection | null): void;
  /**
   * the reader chose what to see (a row, a step, the address's fragment): a `focus` the page would
   * give for traffic sent before now must not take it away (web/lessons/inspector-focus.ts)
   */
  onPick?(): void;
  /** someone else's captures (the teacher's, in class): no recording switch, no clearing */
  readOnly?: boolean;
  /**
   * The page of a shared link (shared-capture-page.tsx): the capture opened for it is all there
   * is, so no other file to open or drop, no way "back to live", nothing to share again.
   */
  sharedLink?: boolean;
}

/** Everything that crossed the wire for this browser: timeline, decoded tree and bytes. */
export function Inspector({ focus, store: givenStore, onSelectionChange, onPick, readOnly = false, sharedLink = false }: InspectorProps) {
  const t = useStrings(inspectorStrings);
  const tf = useStrings(captureFileStrings);
  // An opened capture file (opened-captures.ts) takes the live captures' place until "back to live";
  // only the page's own inspector opens files (one given a store shows that store).
  const files = getOpenedCaptures();
  const filesState = useOpenedCaptures(files);
  const opened = givenStore === undefined ? filesState.opened : null;
  const drop = useCaptureFileDrop(files);
  const store = opened?.kind === 'packets' ? opened.store : (givenStore ?? getCaptureStore());
  const snapshot = useCaptures(store);
  const [showApp, setShowApp] = useState(false);
  const [picked, setPicked] = useState<Selection | null>(null);
  const pick = usePick(setPicked, onPick);
  const timelinePane = useRef<HTMLDivElement>(null);

  // A new focus from outside (a cell ran, a link was clicked) wins over an earlier pick, even one
  // naming what an earlier focus did: the reader's second click on a cell's bytes after picking
  // another row brings them back. A page keeps its focus in state, so only a new ask is a new object.
  useEffect(() => setPicked(null), [focus, opened]);

  // a file's requests are all its own: none is the app's
  const { timeline, hiddenCount } = useMemo(() => shownTraffic(snapshot, showApp || opened !== null), [snapshot, showApp, opened]);
  // The timeline's rows are built in a deferred render, which React interrupts every few ms for
  // the page's other work: an opened file's hundred connections at once took 0.3 s in one task.
  const shownTimeline = useDeferredValue(timeline);
  const newest = useMemo(() => snapshot.exchanges.findLast((exchange) => !isAppTraffic(exchange.request)), [snapshot]);
  // a focus from outside names a live capture, never the file's
  const focused = opened ? undefined : focus;
  const selection: Selection | null = picked ?? focused ?? (newest ? { conn: newest.conn, index: newest.index } : null);
  const replay = useReplay(timeline, selection, pick);

  const { view, selectedExchange, sections } = useSelectedDetail(snapshot, selection, t);
  const selectionKey = keyOf(selection);
  useReportSelection(selection, opened !== null, givenStore === undefined, onSelectionChange);

  // new traffic lands at the bottom: the selected row stays in sight
  useKeepRowInView(timelinePane, selectionKey, shownTimeline);

  return (
    <section
      className={drop.dragging ? 'insp insp-dropping' : 'insp'}
      data-testid="inspector"
      aria-label={t.title}
      onKeyDown={replay.onKeyDown}
      {...(givenStore === undefined && !sharedLink ? drop.handlers : {})}
    >
      {drop.dragging && <div className="insp-drop-hint">{tf.dropHere}</div>}
      <InspectorToolbar
        snapshot={snapshot}
        store={store}
        readOnly={readOnly || opened !== null}
        fromFile={opened !== null}
        selectedConnection={view?.connection.id}
        showApp={showApp}
        setShowApp={setShowApp}
        t={t}
      />
      {givenStore === undefined && <OpenCaptureBar captures={files} state={filesState} t={tf} fixed={sharedLink} />}
      {givenStore === undefined && !sharedLink && opened?.kind !== 'har' && (
        <ShareCaptureBar store={store} disabled={timeline.length === 0} showApp={showApp || opened !== null} hiddenCount={hiddenCount} />
      )}
      {opened?.kind === 'har' ? (
        <HarView har={opened.har} t={t} tf={tf} />
      ) : (
        <>
          {!snapshot.recording && !opened && <p className="insp-notice">{t.recordingOff}</p>}
          <ReplayStepper steps={replay.steps} selection={selection} onMove={replay.move} t={t} tf={tf} />
          <div className="insp-body">
            <div className="insp-timeline-pane" ref={timelinePane}>
              {shownTimeline.length === 0 ? (
                <p className="insp-empty">{t.empty}</p>
              ) : (
                <ExchangeTimeline
                  connections={shownTimeline}
                  selection={selection}
                  focusedAt={selectedExchange?.request.firstByteAt ?? null}
                  onSelect={pick}
                  onExport={(connId) => exportPcapng(store, connId)}
                  t={t}
                />
              )}
              {hiddenCount > 0 && <p className="insp-hidden-note">{t.hiddenAppTraffic(hiddenCount)}</p>}
            </div>
            {sections ? (
              <ExchangeDetail key={selectionKey} sections={sections} onFieldFocus={opened && givenStore === undefined ? pointAtField : undefined} t={t} />
            ) : (
              <p className="insp-empty">{t.selectHint}</p>
            )}
          </div>
        </>
      )}
    </section>
  );
}

/** The reader's choice, shown and told to `onPick`; stable across renders (useReplay's effect depends on it). */
function usePick(setPicked: (selection: Selection) => void, onPick: InspectorProps['onPick']) {
  const told = useRef(onPick);
  told.current = onPick;
  return useCallback(
    (selection: Selection) => {
      setPicked(selection);
      told.current?.();
    },
    [setPicked],
  );
}

/**
 * Tells `onSelectionChange` what the inspector shows, keyed by the selection's identity (a new
 * snapshot with the same selection is no change); a file's selection goes to opened-pointer.ts.
 */
function useReportSelection(selection: Selection | null, fromFile: boolean, pagesOwn: boolean, onSelectionChange: InspectorProps['onSelectionChange']) {
  const report = useRef(onSelectionChange);
  report.current = onSelectionChange;
  useEffect(() => {
    // what a file shows is not this session's traffic: nothing judged from it (the quiz) may see it
    report.current?.(fromFile ? null : selection);
    // a lesson's question about the file answers with what is selected in it
    if (pagesOwn) pointAtSelection(fromFile ? selection : null);
  }, [keyOf(selection), fromFile]);
}
