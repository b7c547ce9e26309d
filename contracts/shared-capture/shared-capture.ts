// A capture kept on the server and shared by link (PROTOCOL.md): the routes, the expiries a sharer
// picks, the id's shape and what the server answers, for the server (server/shared-captures/) and
// the inspector's «Поделиться» / "Share" and the page `/<lang>/capture/<id>` (web/inspector/).

/** POST a pcapng here; GET and DELETE `${SHARED_CAPTURES_PATH}/<id>`. */
export const SHARED_CAPTURES_PATH = '/_wirelab/captures';

/** What a shared capture is stored and served as: pcapng, which Wireshark opens too. */
export const PCAPNG_MEDIA_TYPE = 'application/x-pcapng';

/** How long a shared capture is kept, as the sharer picks it (`?expires=`). */
export const SHARED_CAPTURE_EXPIRIES = {
  '1h': 3600_000,
  '1d': 24 * 3600_000,
  '7d': 7 * 24 * 3600_000,
} as const;
export type SharedCaptureExpiry = keyof typeof SHARED_CAPTURE_EXPIRIES;
export const SHARED_CAPTURE_EXPIRY_NAMES = Object.keys(SHARED_CAPTURE_EXPIRIES) as SharedCaptureExpiry[];

/** 16 random bytes (128 bits) in base64url: 22 characters. */
export const SHARED_CAPTURE_ID = /^[A-Za-z0-9_-]{22}$/;
export const SHARED_CAPTURE_ID_PATTERN = '^[A-Za-z0-9_-]{22}$';

/** On GET: when the capture goes (ms since the epoch), and whether the asking session shared it. */
export const EXPIRES_AT_HEADER = 'x-wirelab-expires-at';
export const OWNER_HEADER = 'x-wirelab-owner';
/**
 * On GET: how many of the app's own requests (the page, its scripts) the sharer's view hid and the
 * share left out, as the sharer said on POST (`?appRequestsLeftOut=`); 0 when none.
 */
export const APP_REQUESTS_LEFT_OUT_HEADER = 'x-wirelab-app-requests-left-out';
/** The most a sharer may say it left out (a count, not a size: far above any session's). */
export const MAX_APP_REQUESTS_LEFT_OUT = 1_000_000;

/** The answer to a share (201). */
export interface SharedCaptureCreated {
  id: string;
  /** where its bytes are: `${SHARED_CAPTURES_PATH}/<id>` */
  path: string;
  /** ms since the epoch */
  expiresAt: number;
  /** the stored pcapng's size, after blanking */
  bytes: number;
  connections: number;
}

/** The page that opens a shared capture read-only: `/ru/capture/<id>`. */
export function sharedCapturePagePath(lang: string, id: string): string {
  return `/${lang}/capture/${id}`;
}
