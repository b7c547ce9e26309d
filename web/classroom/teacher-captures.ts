import { CaptureStore, type SocketLike } from '../inspector/capture-store.ts';
import { setTeacherWireSink } from './teacher-wire-sink.ts';

/** The part of the class channel that plays the capture channel for the teacher's store. */
const teacherSocket: SocketLike = { send: () => {}, close: () => {}, onopen: null, onmessage: null, onclose: null, onerror: null };

/**
 * The teacher's captured traffic, decoded by this page's own decoders like the student's own
 * captures: a CaptureStore whose "capture channel" is the teacher-wire part of the class channel
 * (the same binary chunk frames; JSON for connections). Read-only: nothing is ever sent back.
 */
export const teacherCaptures = new CaptureStore({ url: 'class-channel', socketFactory: () => teacherSocket });
teacherCaptures.connect();
teacherSocket.onopen?.({});

setTeacherWireSink((data) => {
  if (typeof data !== 'string') return teacherSocket.onmessage?.({ data });
  let message: { type?: string; instance?: unknown };
  try {
    message = JSON.parse(data) as { type?: string; instance?: unknown };
  } catch {
    return;
  }
  // The relay's "reset" is the capture channel's "hello": start again from what follows. It names
  // the server process as the hello does, so that after a restart the teacher's earlier traffic
  // stays, marked as from before the restart, and the new process's c1 is never taken for the old.
  const instance = typeof message.instance === 'string' ? message.instance : undefined;
  const forStore = message.type === 'reset' ? { type: 'hello', recording: true, instance } : message;
  teacherSocket.onmessage?.({ data: JSON.stringify(forStore) });
});
