// A call driven through the server's gRPC runner (contracts/grpc-runner/): the page opens one
// WebSocket (RunnerChannel) on the first call and sends start, send, end and cancel; the runner's
// gRPC client makes the call over HTTP/2 and reports every step, which becomes the cell's log.
import { useCallback, useEffect, useRef } from 'react';
import type { JsonValue } from '@bufbuild/protobuf';
import { sessionReady } from '../../kit/session.ts';
import { appendEvent, applyRunnerMessage, emptyLog, type CallLog, type RunnerServerMessage } from './call-log.ts';
import { methodPath } from './method-catalog.ts';
import { RunnerChannel } from './runner-channel.ts';
import { grpcEditorStrings } from './strings.ts';
import type { PreparedCall } from './grpc-inputs.ts';
import type { CallView } from './call-view.ts';

interface RunnerCallOptions {
  view: CallView;
  cellId: string;
  prepare(): PreparedCall;
  /** the channel's URL: this server's runner, or the own-server one with the student's target */
  url: string;
}

export function useRunnerCall({ view, cellId, prepare, url }: RunnerCallOptions) {
  const { setLog, setRunning, setProblem, setExchange } = view;
  const channelRef = useRef<RunnerChannel | null>(null);
  const runnerCall = useRef<{ id: string; startedAt: number | null; sent: JsonValue[] } | null>(null);
  const runnerLog = useRef<CallLog>(emptyLog());
  const callCounter = useRef(0);

  const onRunnerMessage = useCallback(
    (message: RunnerServerMessage) => {
      const call = runnerCall.current;
      if (!call || message.type === 'hello' || (message.type !== 'error' && message.call !== call.id)) return;
      if (message.type === 'error' && message.call !== undefined && message.call !== call.id) return;
      const applied = applyRunnerMessage(runnerLog.current, message, call.startedAt, call.sent);
      call.startedAt = applied.startedAt;
      runnerLog.current = applied.log;
      setLog(applied.log);
      if (applied.log.done) setRunning(false);
    },
    [setLog, setRunning],
  );

  const onRunnerClose = useCallback(
    (code: number) => {
      if (!runnerCall.current || runnerLog.current.done) return;
      runnerLog.current = appendEvent(runnerLog.current, {
        kind: 'error',
        text: { en: grpcEditorStrings.en.runnerClosed(code), ru: grpcEditorStrings.ru.runnerClosed(code) },
        at: 0,
      });
      setLog(runnerLog.current);
      setRunning(false);
    },
    [setLog, setRunning],
  );

  // Another target is another channel: the old one closes, and with it its calls and connection.
  useEffect(
    () => () => {
      channelRef.current?.close();
      channelRef.current = null;
    },
    [url],
  );

  const channel = useCallback(() => (channelRef.current ??= new RunnerChannel(url, onRunnerMessage, onRunnerClose)), [url, onRunnerMessage, onRunnerClose]);
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
      const id = `${cellId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40)}-${++callCounter.current}`;
      runnerCall.current = { id, startedAt: null, sent: [] };
      runnerLog.current = emptyLog();
      setLog(runnerLog.current);
      setExchange(null);
      setRunning(true);
      await sessionReady();
      if (once) runnerCall.current.sent.push(prepared.request);
      const command = {
        type: 'start' as const,
        call: id,
        method: methodPath(prepared.method),
        metadata: prepared.metadata,
        messages: once ? [prepared.request] : [],
        end: once,
      };
      try {
        await channel().send(prepared.timeoutMs === undefined ? command : { ...command, timeoutMs: prepared.timeoutMs });
      } catch {
        // the close handler already reported it
      }
    },
    [prepare, cellId, channel, setProblem, setLog, setExchange, setRunning],
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
