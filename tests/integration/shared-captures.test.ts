// «Поделиться» / "Share" against a real server (contracts/shared-capture/PROTOCOL.md): a pcapng
// shared by a session is kept blanked under its id, read back by anyone with the link, also after
// the server restarts on the same database file; deleted only by its owner; refused with 413 and
// 429 past the limits; gone (404) once expired.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_CAPTURES_PATH, type SharedCaptureCreated } from '../../contracts/shared-capture/shared-capture.ts';
import { readCaptureFile } from '../../wire/capture-file/read-capture-file.ts';
import { oneExchangePcapng } from '../../wire/fixtures/one-exchange-pcapng.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

const HOUR = 3600_000;
const LIMITS = { captureBytes: 16 * 1024, perAddress: { count: 2, bytes: 1024 * 1024 }, total: { count: 100, bytes: 8 * 1024 * 1024 } };

let dir = '';
let server: RunningServer | undefined;
const clock = { shift: 0 };
const sessionSecret = randomBytes(32);
const options = () => ({ dataFile: join(dir, 'wirelab.sqlite'), sessionSecret, sharedCaptures: { limits: LIMITS, now: () => Date.now() + clock.shift } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wirelab-shared-captures-'));
  server = await startServer(options());
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A pcapng of one HTTP/1.1 exchange whose request carries `session`'s cookie. */
function pcapngWithCookie(session: string, target: string): Uint8Array<ArrayBuffer> {
  return oneExchangePcapng(`GET ${target} HTTP/1.1\r\nHost: x\r\nCookie: wirelab_session=${session}\r\n\r\n`, 'HTTP/1.1 204 No Content\r\n\r\n');
}

const origin = () => server!.origin;
const cookieOf = (session: string | null): Record<string, string> => (session ? { cookie: `wirelab_session=${session}` } : {});
const share = (body: Uint8Array<ArrayBuffer>, session: string | null, expires = '1h', leftOut?: string) =>
  fetch(`${origin()}${SHARED_CAPTURES_PATH}?expires=${expires}${leftOut === undefined ? '' : `&appRequestsLeftOut=${leftOut}`}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-pcapng', ...cookieOf(session) },
    body,
  });
const read = (path: string, session: string | null = null) => fetch(`${origin()}${path}`, { headers: cookieOf(session) });
const remove = (path: string, session: string | null) => fetch(`${origin()}${path}`, { method: 'DELETE', headers: cookieOf(session) });

async function expectProblem(response: Response, status: number): Promise<{ detail: string; localized: { en: string; ru: string } }> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = (await response.json()) as { status: number; detail: string; localized: { en: string; ru: string } };
  expect(problem.status).toBe(status);
  expect(problem.localized.ru).toMatch(/[а-я]/);
  return problem;
}

/** The bytes a reader of the file gets, per direction. */
function requestText(pcapng: Uint8Array): string {
  const opened = readCaptureFile(pcapng);
  if (opened.kind !== 'packets') throw new Error(`not packets: ${opened.kind}`);
  return opened.chunks
    .filter((chunk) => chunk.dir === 'in')
    .map((chunk) => Buffer.from(chunk.data).toString('latin1'))
    .join('');
}

describe('shared captures', () => {
  let owner = '';
  let kept: SharedCaptureCreated;
  let keptBytes: Buffer;

  it('keeps a shared pcapng blanked and gives it to anyone with the link, telling its owner apart and what the sharer left out', async () => {
    owner = await newSession(origin());
    const response = await share(pcapngWithCookie(owner, '/api/v1/users/1'), owner, '1h', '3');
    expect(response.status).toBe(201);
    kept = (await response.json()) as SharedCaptureCreated;
    expect(kept.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(response.headers.get('location')).toBe(`${SHARED_CAPTURES_PATH}/${kept.id}`);
    expect(kept).toMatchObject({ path: `${SHARED_CAPTURES_PATH}/${kept.id}`, connections: 1 });
    expect(kept.expiresAt - Date.now()).toBeGreaterThan(HOUR - 60_000);
    expect(kept.expiresAt - Date.now()).toBeLessThanOrEqual(HOUR);

    const anyone = await read(kept.path);
    expect(anyone.status).toBe(200);
    expect(anyone.headers.get('content-type')).toBe('application/x-pcapng');
    expect(anyone.headers.get('x-wirelab-owner')).toBe('false');
    expect(Number(anyone.headers.get('x-wirelab-expires-at'))).toBe(kept.expiresAt);
    expect(anyone.headers.get('x-wirelab-app-requests-left-out')).toBe('3');
    keptBytes = Buffer.from(await anyone.arrayBuffer());
    expect(keptBytes.byteLength).toBe(kept.bytes);
    const request = requestText(keptBytes);
    expect(request).toMatch(/^GET \/api\/v1\/users\/1 HTTP\/1\.1\r\nHost: x\r\nCookie: \*+\r\n\r\n$/);
    expect(request).not.toContain(owner.slice(0, 8));
    expect((await read(kept.path, owner)).headers.get('x-wirelab-owner')).toBe('true');
  });

  it("keeps the upload itself out of the sharer's captures, and what came after it in", async () => {
    const channel = await CaptureClient.open(origin(), owner);
    try {
      const response = await share(pcapngWithCookie(owner, '/api/v1/users/9'), owner);
      expect(response.status).toBe(201);
      const { path } = (await response.json()) as SharedCaptureCreated;
      // a share that says nothing of what it left out left nothing out
      expect((await read(path)).headers.get('x-wirelab-app-requests-left-out')).toBe('0');
      await remove(path, owner);
      await fetch(`${origin()}/api/v1/users/1?after=share`, { headers: cookieOf(owner) });
      const seen = () =>
        channel
          .chunks()
          .map((chunk) => Buffer.from(chunk.data, 'base64').toString('latin1'))
          .join('');
      await channel.waitFor(() => seen().includes('GET /api/v1/users/1?after=share '));
      expect(seen()).toContain('DELETE /_wirelab/captures/');
      expect(seen()).not.toContain('POST /_wirelab/captures');
    } finally {
      await channel.close();
    }
  });

  it('refuses a share without a session, with a bad expiry, and one that is no capture', async () => {
    await expectProblem(await share(pcapngWithCookie('x', '/'), null), 403);
    await expectProblem(await share(pcapngWithCookie(owner, '/'), owner, '1y'), 400);
    await expectProblem(await share(pcapngWithCookie(owner, '/'), owner, '1h', '-1'), 400);
    await expectProblem(await share(pcapngWithCookie(owner, '/'), owner, '1h', 'many'), 400);
    const notPcapng = await expectProblem(await share(new TextEncoder().encode('hello'), owner), 422);
    expect(notPcapng.detail).toContain('not a pcapng');
  });

  it('answers 413 for a file over the size of one capture, and 429 with Retry-After past the per-address count', async () => {
    const tooLarge = await expectProblem(await share(new Uint8Array(LIMITS.captureBytes + 1), owner), 413);
    expect(tooLarge.localized.ru).toContain('не больше 16 КБ');
    expect((await share(pcapngWithCookie(owner, '/api/v1/users/2'), owner, '7d')).status).toBe(201);
    const third = await share(pcapngWithCookie(owner, '/api/v1/users/3'), owner);
    const tooMany = await expectProblem(third, 429);
    const retryAfter = Number(third.headers.get('retry-after'));
    // the capture of an hour is the first to make room
    expect(retryAfter).toBeGreaterThan(HOUR / 1000 - 60);
    expect(retryAfter).toBeLessThanOrEqual(HOUR / 1000);
    expect(tooMany.detail).toContain('at most 2');
  });

  it('lets no other session, nor none, delete a capture', async () => {
    const other = await newSession(origin());
    await expectProblem(await remove(kept.path, other), 403);
    await expectProblem(await remove(kept.path, null), 403);
    await expectProblem(await remove(`${SHARED_CAPTURES_PATH}/${'A'.repeat(22)}`, owner), 404);
    expect((await read(kept.path)).status).toBe(200);
  });

  it('gives the same bytes after the server restarts on the same database file', async () => {
    await server!.close();
    server = await startServer(options());
    const again = await read(kept.path);
    expect(again.status).toBe(200);
    expect(Buffer.from(await again.arrayBuffer()).equals(keptBytes)).toBe(true);
    expect(again.headers.get('x-wirelab-app-requests-left-out')).toBe('3');
  });

  it('deletes a capture for its owner, after which the link is 404', async () => {
    const response = await remove(kept.path, owner);
    expect(response.status).toBe(204);
    await expectProblem(await read(kept.path), 404);
    // one capture of two gone: the address may share again
    const next = await share(pcapngWithCookie(owner, '/api/v1/users/4'), owner);
    expect(next.status).toBe(201);
    kept = (await next.json()) as SharedCaptureCreated;
  });

  it('answers 404 once a capture expired, and the purge at the next start deletes it', async () => {
    clock.shift = HOUR;
    const expired = await expectProblem(await read(kept.path), 404);
    expect(expired.detail).toContain('expired');
    await server!.close();
    server = await startServer(options());
    await expectProblem(await read(kept.path), 404);
    // the 7-day capture is still there, and the expired one no longer counts toward the address's two
    expect((await share(pcapngWithCookie(owner, '/api/v1/users/5'), owner)).status).toBe(201);
    expect((await share(pcapngWithCookie(owner, '/api/v1/users/6'), owner)).status).toBe(429);
  });
});
