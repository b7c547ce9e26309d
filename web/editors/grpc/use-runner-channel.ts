import { useCallback, useEffect, useRef } from 'react';
import type { JsonValue } from '@bufbuild/protobuf';
import { appendEvent, applyRunnerMessage, emptyLog, type CallLog, type RunnerServerMessage } from './call-log.ts';
import type { CallView } from './call-view.ts';
import { isForCall } from './runner-commands.ts';
import { RunnerChannel } from './runner-channel.ts';
import { grpcEditorStrings } from './strings.ts';

/** The call the cell drives now: its id, when the runner started it, the messages sent so far. */
export interface RunnerCallState {
  id: string;
  /** the call's number in the cell's view (CallView.beginCall): once a later call began there, its answers are not shown */
  viewCall: number;
  startedAt: number | null;
  sent: JsonValue[];
}

/**
 * The cell's channel to the runner (opened on the first command, closed with another target) and
 * what comes back on it: each answer of the current call becomes its log; a closed channel ends it.
 */
export function useRunnerChannel(url: string, { setLog, setRunning, isLatest }: Pick<CallView, 'setLog' | 'setRunning' | 'isLatest'>) {
  const channelRef = useRef<RunnerChannel | null>(null);
  const runnerCall = useRef<RunnerCallState | null>(null);
  const runnerLog = useRef<CallLog>(emptyLog());

  const onRunnerMessage = useCallback(
    (message: RunnerServerMessage) => {
      const call = runnerCall.current;
      if (!call || !isForCall(message, call.id) || !isLatest(call.viewCall)) return;
      const applied = applyRunnerMessage(runnerLog.current, message, call.startedAt, call.sent);
      call.startedAt = applied.startedAt;
      runnerLog.current = applied.log;
      setLog(applied.log);
      if (applied.log.done) setRunning(false);
    },
    [setLog, setRunning, isLatest],
  );

  const onRunnerClose = useCallback(
    (code: number) => {
      if (!runnerCall.current || runnerLog.current.done || !isLatest(runnerCall.current.viewCall)) return;
      runnerLog.current = appendEvent(runnerLog.current, {
        kind: 'error',
        text: { en: grpcEditorStrings.en.runnerClosed(code), ru: grpcEditorStrings.ru.runnerClosed(code) },
        at: 0,
      });
      setLog(runnerLog.current);
      setRunning(false);
    },
    [setLog, setRunning, isLatest],
  );

  // Another target is another channel: the old one closes, and with it its calls and connection.
  // A call still running on it ends here, as the channel closes: the socket's close event comes
  // later, when the next call may already run on the new channel (RunnerChannel ignores it).
  useEffect(
    () => () => {
      const closing = channelRef.current;
      channelRef.current = null;
      if (!closing) return;
      closing.close();
      onRunnerClose(1000);
    },
    [url],
  );

  const channel = useCallback(() => (channelRef.current ??= new RunnerChannel(url, onRunnerMessage, onRunnerClose)), [url, onRunnerMessage, onRunnerClose]);
  return { channel, runnerCall, runnerLog };
}
