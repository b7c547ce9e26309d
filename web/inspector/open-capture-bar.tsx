import { useRef, useState, type DragEvent } from 'react';
import type { CaptureFileStrings } from './capture-file-strings.ts';
import type { OpenedCaptures, OpenedCapturesState } from './opened-captures.ts';

/**
 * «Открыть запись» / "Open capture": the file input, the reading's progress, a file that could not
 * be opened (named, with what is wrong), and the open file's summary with the way back to live.
 * `fixed`: the file is the page's own (a shared link's): its summary only, no other file, no way back.
 */
export function OpenCaptureBar({
  captures,
  state,
  t,
  fixed = false,
}: {
  captures: OpenedCaptures;
  state: OpenedCapturesState;
  t: CaptureFileStrings;
  fixed?: boolean;
}) {
  const input = useRef<HTMLInputElement>(null);
  const { opened, reading, failure } = state;
  return (
    <div className="insp-file-bar">
      {!fixed && (
        <label className="insp-button insp-file-open" title={t.openCaptureHint}>
          {t.openCapture}
          <input
            ref={input}
            type="file"
            data-testid="insp-open-file"
            accept=".pcapng,.pcap,.cap,.har,application/vnd.tcpdump.pcap,application/json"
            className="insp-file-input"
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              if (file) void captures.open(file);
              event.currentTarget.value = '';
            }}
          />
        </label>
      )}
      {reading && (
        <span className="insp-file-reading" data-testid="insp-file-reading">
          <span>{t.reading(reading.name)}</span>
          <progress data-testid="insp-file-progress" max={Math.max(1, reading.total)} value={reading.done} aria-label={t.readingProgress(reading.name)} />
        </span>
      )}
      {opened && (
        <span className="insp-file-opened" data-testid="insp-file-opened" data-kind={opened.kind}>
          <strong>{t.opened(opened.name)}</strong>
          {opened.kind === 'packets' && <OpenedFacts info={opened.info} t={t} />}
          {!fixed && (
            <button type="button" className="insp-button" data-testid="insp-file-close" title={t.backToLiveHint} onClick={() => captures.close()}>
              {t.backToLive}
            </button>
          )}
        </span>
      )}
      {failure && (
        <p className="insp-file-failure" role="alert" data-testid="insp-file-failure" data-code={failure.problem.code}>
          {t.cannotOpen(failure.name, t.problem(failure.problem))}
          <button type="button" className="insp-button" onClick={() => captures.dismissFailure()}>
            {t.dismiss}
          </button>
        </p>
      )}
    </div>
  );
}

function OpenedFacts({ info, t }: { info: Extract<OpenedCapturesState['opened'], { kind: 'packets' }>['info']; t: CaptureFileStrings }) {
  const startedBefore = Object.values(info.facts).filter((fact) => fact.startedBeforeCapture).length;
  const skipped = Object.values(info.skipped).reduce((sum, count) => sum + (count ?? 0), 0);
  return (
    <span className="insp-file-facts" data-testid="insp-file-facts">
      <span>{t.summary(info.format, info.packets, info.connections.length)}</span>
      <span>{t.reassembly(info.counts.retransmissions, info.counts.outOfOrder, info.counts.gaps)}</span>
      {startedBefore > 0 && <span>{t.startedBefore(startedBefore)}</span>}
      {skipped > 0 && <span>{t.skippedPackets(skipped)}</span>}
      {info.problem && <span className="insp-file-partly">{t.partly(t.problem(info.problem))}</span>}
    </span>
  );
}

/** Drag and drop of a capture file anywhere on the inspector; `dragging` while a file is over it. */
export function useCaptureFileDrop(captures: OpenedCaptures) {
  const [dragging, setDragging] = useState(false);
  const carriesFile = (event: DragEvent) => Array.from(event.dataTransfer.types).includes('Files');
  return {
    dragging,
    handlers: {
      onDragOver(event: DragEvent) {
        if (!carriesFile(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      },
      onDragLeave(event: DragEvent) {
        if (event.currentTarget === event.target || !event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      },
      onDrop(event: DragEvent) {
        if (!carriesFile(event)) return;
        event.preventDefault();
        setDragging(false);
        const file = event.dataTransfer.files[0];
        if (file) void captures.open(file);
      },
    },
  };
}
