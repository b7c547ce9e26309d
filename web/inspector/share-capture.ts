// «Поделиться» / "Share": the capture the inspector shows, as its pcapng, kept on the server
// (contracts/shared-capture/PROTOCOL.md), which blanks its secrets as it does for this page; and
// reading a shared one back for the page `/<lang>/capture/<id>`.
import {
  APP_REQUESTS_LEFT_OUT_HEADER,
  EXPIRES_AT_HEADER,
  OWNER_HEADER,
  PCAPNG_MEDIA_TYPE,
  SHARED_CAPTURES_PATH,
  sharedCapturePagePath,
  type SharedCaptureCreated,
  type SharedCaptureExpiry,
} from '../../contracts/shared-capture/shared-capture.ts';
import type { Lang } from '../kit/lang-context.ts';

export type ShareOutcome = { ok: true; created: SharedCaptureCreated; link: string } | { ok: false; why: string };

/** The problem's text in the page's language, else its status. */
async function problemText(response: Response, lang: Lang): Promise<string> {
  const problem = (await response.json().catch(() => null)) as { detail?: string; localized?: Partial<Record<Lang, string>> } | null;
  return problem?.localized?.[lang] ?? problem?.detail ?? `HTTP ${response.status}`;
}

/** `appRequestsLeftOut`: the app's own requests the sharer's view hid (shown-capture.ts), for the link's page to say. */
export async function shareCapture(
  pcapng: Uint8Array<ArrayBuffer>,
  appRequestsLeftOut: number,
  expires: SharedCaptureExpiry,
  lang: Lang,
): Promise<ShareOutcome> {
  try {
    const response = await fetch(`${SHARED_CAPTURES_PATH}?expires=${expires}&appRequestsLeftOut=${appRequestsLeftOut}`, {
      method: 'POST',
      headers: { 'content-type': PCAPNG_MEDIA_TYPE },
      body: pcapng,
    });
    if (response.status !== 201) return { ok: false, why: await problemText(response, lang) };
    const created = (await response.json()) as SharedCaptureCreated;
    return { ok: true, created, link: `${window.location.origin}${sharedCapturePagePath(lang, created.id)}` };
  } catch (error) {
    return { ok: false, why: error instanceof Error ? error.message : String(error) };
  }
}

export type SharedCaptureRead =
  | { kind: 'found'; bytes: ArrayBuffer; expiresAt: number; owner: boolean; appRequestsLeftOut: number }
  | { kind: 'missing' }
  | { kind: 'failed'; why: string };

export async function readSharedCapture(id: string, lang: Lang): Promise<SharedCaptureRead> {
  try {
    const response = await fetch(`${SHARED_CAPTURES_PATH}/${encodeURIComponent(id)}`);
    if (response.status === 404) return { kind: 'missing' };
    if (!response.ok) return { kind: 'failed', why: await problemText(response, lang) };
    return {
      kind: 'found',
      bytes: await response.arrayBuffer(),
      expiresAt: Number(response.headers.get(EXPIRES_AT_HEADER)),
      owner: response.headers.get(OWNER_HEADER) === 'true',
      appRequestsLeftOut: Number(response.headers.get(APP_REQUESTS_LEFT_OUT_HEADER)) || 0,
    };
  } catch (error) {
    return { kind: 'failed', why: error instanceof Error ? error.message : String(error) };
  }
}

/** Deletes a capture this session shared; null when done, else why not. */
export async function deleteSharedCapture(id: string, lang: Lang): Promise<string | null> {
  try {
    const response = await fetch(`${SHARED_CAPTURES_PATH}/${encodeURIComponent(id)}`, { method: 'DELETE' });
    return response.status === 204 ? null : await problemText(response, lang);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** "27 Nov 2026, 14:05" / «27 нояб. 2026 г., 14:05» in the reader's own time zone. */
export function expiryText(at: number, lang: Lang): string {
  return new Date(at).toLocaleString(lang === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}
