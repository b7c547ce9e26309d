import type { CaptureSnapshot, CaptureStore } from './capture-store.ts';
import { downloadBytes } from './download-file.ts';
import type { InspectorStrings } from './strings.ts';
import { pcapngFileName } from '../../wire/pcapng/export-pcapng.ts';

/**
 * The inspector's title, the capture's status, recording and clearing (not on someone else's
 * captures), the pcapng downloads and the switch that shows the app's own traffic.
 */
export function InspectorToolbar({
  snapshot,
  store,
  readOnly,
  fromFile = false,
  selectedConnection,
  showApp,
  setShowApp,
  t,
}: {
  snapshot: CaptureSnapshot;
  store: CaptureStore;
  readOnly: boolean;
  /** showing an opened capture file: no live status (opened-captures.ts) */
  fromFile?: boolean;
  /** the selected row's connection id, if any: "export this connection" downloads it */
  selectedConnection: string | undefined;
  showApp: boolean;
  setShowApp(on: boolean): void;
  t: InspectorStrings;
}) {
  return (
    <div className="insp-toolbar">
      <h2 className="insp-title">{t.title}</h2>
      {!fromFile && (
        <span className={`insp-status-dot insp-status-${snapshot.status}`} data-testid="insp-status" data-status={snapshot.status}>
          {t.status[snapshot.status]}
        </span>
      )}
      {!readOnly && (
        <label className="insp-switch" title={t.recordHint}>
          <input
            type="checkbox"
            role="switch"
            data-testid="insp-record"
            checked={snapshot.recording}
            disabled={snapshot.status !== 'open'}
            onChange={(event) => store.setRecording(event.currentTarget.checked)}
          />
          <span className={snapshot.recording ? 'insp-rec-on' : ''}>{t.record}</span>
        </label>
      )}
      {!readOnly && (
        <button
          type="button"
          className="insp-button"
          data-testid="insp-clear"
          title={t.clearHint}
          disabled={snapshot.status !== 'open'}
          onClick={() => store.clear()}
        >
          {t.clear}
        </button>
      )}
      <button
        type="button"
        className="insp-button"
        data-testid="insp-export-session"
        title={t.exportSessionHint}
        disabled={snapshot.connections.length === 0}
        onClick={() => exportPcapng(store)}
      >
        {t.exportSession}
      </button>
      <button
        type="button"
        className="insp-button"
        data-testid="insp-export-selected"
        title={t.exportConnectionHint}
        disabled={selectedConnection === undefined}
        onClick={() => selectedConnection !== undefined && exportPcapng(store, selectedConnection)}
      >
        {t.exportConnection}
      </button>
      <label className="insp-switch" title={t.showAppTrafficHint}>
        <input type="checkbox" data-testid="insp-show-app" checked={showApp} onChange={(event) => setShowApp(event.currentTarget.checked)} />
        <span>{t.showAppTraffic}</span>
      </label>
    </div>
  );
}

/** Downloads one connection (or, without one, the whole session) as a pcapng file for Wireshark. */
export function exportPcapng(store: CaptureStore, connId?: string): void {
  const bytes = store.toPcapng(connId === undefined ? undefined : [connId]);
  downloadBytes(bytes, pcapngFileName(connId === undefined ? 'session' : `connection-${connId}`, Date.now()), 'application/x-pcapng');
}
