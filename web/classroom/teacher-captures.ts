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
  let message: { type?: string };
  try {
    message = JSON.parse(data) as { type?: string };
  } catch {
    return;
  }
  // the relay's "reset" is the capture channel's "hello": start again from what follows
  const forStore = message.type === 'reset' ? { type: 'hello', recording: true } : message;
  teacherSocket.onmessage?.({ data: JSON.stringify(forStore) });
});
