// A call driven through the server's gRPC runner (contracts/grpc-runner/): the page opens one
// WebSocket (RunnerChannel) on the first call and sends start, send, end and cancel; the runner's
// gRPC client makes the call over HTTP/2 and reports every step, which becomes the cell's log.
import { useCallback, useRef } from 'react';
import { sessionReady } from '../../kit/session.ts';
import { emptyLog } from './call-log.ts';
import { runnerCallId, startCommand } from './runner-commands.ts';
import { useRunnerChannel } from './use-runner-channel.ts';
import type { PreparedCall } from './grpc-inputs.ts';
import type { CallView } from './call-view.ts';

interface RunnerCallOptions {
  view: CallView;
  cellId: string;
  prepare(): PreparedCall;
  /** the channel's URL: this server's runner, or the own-server one with the student's target */
  url: string;
}

/** The cell's commands to the runner: start (or start with one request), send, half-close, cancel. */
export function useRunnerCall({ view, cellId, prepare, url }: RunnerCallOptions) {
  const { setLog, setRunning, setProblem, beginCall, setExchange } = view;
  const { channel, runnerCall, runnerLog } = useRunnerChannel(url, view);
  const callCounter = useRef(0);

  const open = () => runnerCall.current !== null && !runnerLog.current.done;

  /** Starts a call; `once`: with the request as its only message, half-closed at once (unary, server streaming). */
  const startCall = useCallback(
    async (once: boolean) => {
      const prepared = prepare();
      if (!prepared.ok) return setProblem(prepared.problem);
      setProblem(null);
      const previous = runnerCall.current;
      if (previous && !runnerLog.current.done)
        void channel()
          .send({ type: 'cancel', call: previous.id })
          .catch(() => undefined);
      const id = runnerCallId(cellId, ++callCounter.current);
      // the view's number for it: a fetch call's late answers no longer land here, nor this one's in a later call
      const viewCall = beginCall();
      runnerCall.current = { id, viewCall, startedAt: null, sent: [] };
      runnerLog.current = emptyLog();
      setLog(runnerLog.current);
      setExchange(viewCall, null);
      setRunning(true);
      await sessionReady();
      if (once) runnerCall.current.sent.push(prepared.request);
      try {
        await channel().send(startCommand(prepared, id, once));
      } catch {
        // the close handler already reported it
      }
    },
    [prepare, cellId, channel, setProblem, setLog, beginCall, setExchange, setRunning],
  );
  const start = useCallback(() => startCall(false), [startCall]);
  const startOnce = useCallback(() => startCall(true), [startCall]);

  const send = useCallback(() => {
    const call = runnerCall.current;
    if (!call || runnerLog.current.done) return;
    const prepared = prepare();
    if (!prepared.ok) return setProblem(prepared.problem);
    setProblem(null);
    call.sent.push(prepared.request);
    void channel()
      .send({ type: 'send', call: call.id, message: prepared.request })
      .catch(() => undefined);
  }, [prepare, channel, setProblem]);

  const end = useCallback(() => {
    if (open())
      void channel()
        .send({ type: 'end', call: runnerCall.current!.id })
        .catch(() => undefined);
  }, [channel]);

  const cancel = useCallback(() => {
    if (open())
      void channel()
        .send({ type: 'cancel', call: runnerCall.current!.id })
        .catch(() => undefined);
  }, [channel]);

  return { start, startOnce, send, end, cancel };
}
