import type { Socket } from 'node:net';
import { getSystemErrorName } from 'node:util';

// A write handed to a socket's native handle, past net.Socket's Writable: what the socket's own
// write does in the end (a write request, `handle.writeBuffer`), without what its Writable adds
// around it for a writer that keeps its own order and backpressure (TapSocket.writeDirect): the
// Writable's state, _write, _writeGeneric, and a process.nextTick per socket to call back a write
// that already left. A QoS 1 fan-out makes one such write per subscriber per message: the MQTT
// README (what a delivery costs) has what it saved.

/** What Node's stream_wrap binding gives a write: the request, and where the native write reports how it went. */
interface StreamWrapBinding {
  WriteWrap: new () => WriteRequest;
  streamBaseState: Int32Array;
  kLastWriteWasAsync: number;
}

interface WriteRequest {
  handle: unknown;
  oncomplete: (this: WriteRequest, status: number) => void;
  async: boolean;
  bytes: number;
  buffer: Buffer | null;
  callback: unknown;
  /** the writer's: called once a write that had to wait has left, or failed, with `context` */
  whenWritten?: (context: never, error: Error | null) => void;
  context?: unknown;
}

interface NativeHandle {
  writeBuffer(request: WriteRequest, data: Buffer): number;
}

/**
 * Node's `stream_wrap` binding, which net.Socket's writes use; null on a Node that does not give
 * it (the socket's own write() is then used). `process.binding` lists it among the bindings it
 * still hands out (a pending deprecation only, DEP0111).
 */
const binding: StreamWrapBinding | null = (() => {
  try {
    const found = (process as unknown as { binding(name: string): Partial<StreamWrapBinding> }).binding('stream_wrap');
    return typeof found.WriteWrap === 'function' && found.streamBaseState instanceof Int32Array && typeof found.kLastWriteWasAsync === 'number'
      ? (found as StreamWrapBinding)
      : null;
  } catch {
    return null;
  }
})();

function writeError(status: number): Error {
  const code = getSystemErrorName(status);
  return Object.assign(new Error(`write ${code}`), { errno: status, code, syscall: 'write' });
}

function onWritten(this: WriteRequest, status: number): void {
  this.buffer = null;
  (this.whenWritten as ((context: unknown, error: Error | null) => void) | undefined)?.(this.context, status < 0 ? writeError(status) : null);
}

/**
 * Writes `data` to the socket's native handle now. true: the kernel took all of it; false: the
 * rest waits in libuv's queue (kept in order with every other write of the socket, which libuv
 * queues behind it) and `whenWritten(context, error)` is called once it has left or failed (one
 * function for every socket, not a closure each: an idle server holds thousands); null: not written —
 * no binding, a socket still connecting, closed, or whose Writable still holds a write (this one
 * would overtake it): use socket.write(). A write that fails at once destroys the socket with
 * its error, as the Writable does (true: nothing to wait for).
 */
export function writePastWritable<Context>(
  socket: Socket,
  data: Buffer,
  whenWritten: (context: Context, error: Error | null) => void,
  context: Context,
): boolean | null {
  const handle = (socket as unknown as { _handle?: NativeHandle | null })._handle;
  if (
    binding === null ||
    !handle ||
    typeof handle.writeBuffer !== 'function' ||
    socket.connecting ||
    socket.destroyed ||
    socket.writableEnded ||
    socket.writableLength > 0
  ) {
    return null;
  }
  // a write is activity: the socket's idle timeout starts again, as net.Socket's own write does
  (socket as unknown as { _unrefTimer?: () => void })._unrefTimer?.();
  const request = new binding.WriteWrap();
  request.handle = handle;
  request.oncomplete = onWritten;
  request.async = false;
  request.bytes = 0;
  request.buffer = null;
  request.callback = null;
  const status = handle.writeBuffer(request, data);
  if (status !== 0) {
    socket.destroy(writeError(status));
    return true;
  }
  if (binding.streamBaseState[binding.kLastWriteWasAsync] === 0) return true;
  // what is left is written later from this very buffer
  request.async = true;
  request.buffer = data;
  request.whenWritten = whenWritten;
  request.context = context;
  return false;
}
