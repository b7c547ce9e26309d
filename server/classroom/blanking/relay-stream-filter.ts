import type { Direction } from '../../tap/capture-types.ts';
import { MaskedFrameFilter } from './masked-frame-filter.ts';
import { SecretHeaderMask } from './secret-header-mask.ts';
import { SecretScanner, type SecretBook } from './secret-scanner.ts';

const HEAD_END = '\r\n\r\n';
/** a request head longer than this is no WebSocket handshake of a browser's (16 KiB is the server's own cap) */
const MAX_HEAD = 16 * 1024;
const WEBSOCKET_UPGRADE = /^upgrade:[ \t]*websocket[ \t]*$/im;

/**
 * Everything one direction of one relayed HTTP/1.1 connection goes through before a follower
 * sees it: the secret request and response headers blanked (secret-header-mask.ts), then every
 * secret in the bytes (secret-scanner.ts). A browser's WebSocket connection is told apart by its
 * first request: after that handshake the client's bytes are masked frames, searched unmasked
 * (masked-frame-filter.ts). The server's frames are not masked and are searched as they are.
 */
export class RelayStreamFilter {
  private readonly headers: SecretHeaderMask;
  private readonly scanner: SecretScanner;
  private readonly frames: MaskedFrameFilter | null;
  /** the client's first request head so far, until it is whole; then null */
  private firstHead: string | null = '';
  private websocket = false;

  constructor(
    private readonly dir: Direction,
    secrets: SecretBook,
    /** header values that are no secret (SecretHeaderMask) */
    shownHeaderValues?: ReadonlySet<string>,
  ) {
    this.headers = new SecretHeaderMask(shownHeaderValues);
    this.scanner = new SecretScanner(secrets);
    this.frames = dir === 'in' ? new MaskedFrameFilter(new SecretScanner(secrets)) : null;
  }

  apply(data: Uint8Array): Uint8Array {
    if (this.websocket && this.frames) return this.frames.apply(data);
    const headEnd = this.dir === 'in' ? this.endOfUpgradeHead(data) : -1;
    if (headEnd === -1) return this.scanner.apply(this.headers.apply(data));
    const head = this.scanner.apply(this.headers.apply(data.subarray(0, headEnd)));
    const frames = this.frames!.apply(data.subarray(headEnd));
    const out = new Uint8Array(data.length);
    out.set(head, 0);
    out.set(frames, headEnd);
    return out;
  }

  /** Where in this chunk the client's first request head ends, if it is a WebSocket handshake; else -1. */
  private endOfUpgradeHead(data: Uint8Array): number {
    if (this.firstHead === null) return -1;
    const before = this.firstHead.length;
    this.firstHead += Buffer.from(data.buffer, data.byteOffset, Math.min(data.byteLength, MAX_HEAD)).toString('latin1');
    const end = this.firstHead.indexOf(HEAD_END);
    if (end === -1) {
      if (this.firstHead.length > MAX_HEAD) this.firstHead = null;
      return -1;
    }
    const head = this.firstHead.slice(0, end);
    this.firstHead = null;
    if (!WEBSOCKET_UPGRADE.test(head)) return -1;
    this.websocket = true;
    return end + HEAD_END.length - before;
  }
}
