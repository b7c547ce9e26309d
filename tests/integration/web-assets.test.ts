import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeConnection } from '../../wire/decode-connection.ts';
import type { CapturedConnection } from '../../wire/types.ts';
import { CaptureClient, newSession } from './capture-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

// Needs the built app: `npx vite build` (npm test builds first).
const WEB_ROOT = join(import.meta.dirname, '../../dist/web');
const ASSETS = join(WEB_ROOT, 'assets');
const assetNames = readdirSync(ASSETS);
/** The largest built script: Monaco's chunk, precompressed by the build. */
const bigScript = assetNames
  .filter((name) => name.endsWith('.js'))
  .map((name) => ({ name, size: readFileSync(join(ASSETS, name)).length }))
  .sort((a, b) => b.size - a.size)[0].name;

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ webRoot: WEB_ROOT });
});
afterAll(async () => {
  await server?.close();
});

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A GET whose body is returned exactly as it crossed the wire (fetch would decompress it). */
function get(path: string, headers: http.OutgoingHttpHeaders = {}, agent?: http.Agent): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${server.origin}${path}`, { headers, agent }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(parts) }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

describe('built assets, compressed and cached', () => {
  it('the build wrote a .br and a .gz beside the big script', () => {
    expect(assetNames).toContain(`${bigScript}.br`);
    expect(assetNames).toContain(`${bigScript}.gz`);
  });

  it('sends brotli to a browser that accepts it, and it decompresses to the file', async () => {
    const original = readFileSync(join(ASSETS, bigScript));
    const response = await get(`/assets/${bigScript}`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toMatch(/^(?:text|application)\/javascript/);
    expect(response.headers.vary).toMatch(/accept-encoding/i);
    expect(response.body.length).toBeLessThan(original.length / 3);
    expect(brotliDecompressSync(response.body).equals(original)).toBe(true);
  });

  it('sends gzip to a browser that accepts only gzip', async () => {
    const original = readFileSync(join(ASSETS, bigScript));
    const response = await get(`/assets/${bigScript}`, { 'accept-encoding': 'gzip' });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers.vary).toMatch(/accept-encoding/i);
    expect(gunzipSync(response.body).equals(original)).toBe(true);
  });

  it('sends the file itself without Accept-Encoding or with identity', async () => {
    const original = readFileSync(join(ASSETS, bigScript));
    for (const headers of [{}, { 'accept-encoding': 'identity' }]) {
      const response = await get(`/assets/${bigScript}`, headers);
      expect(response.headers['content-encoding']).toBeUndefined();
      expect(response.headers.vary).toMatch(/accept-encoding/i);
      expect(response.body.equals(original)).toBe(true);
    }
  });

  it('caches hashed assets for good, fonts and workers included', async () => {
    const font = assetNames.find((name) => /\.(?:ttf|woff2?)$/.test(name))!;
    const worker = assetNames.find((name) => /worker.*\.js$/.test(name))!;
    for (const name of [bigScript, font, worker]) {
      const response = await get(`/assets/${name}`, { 'accept-encoding': 'br, gzip' });
      expect(response.status, name).toBe(200);
      expect(response.headers['cache-control'], name).toBe('public, max-age=31536000, immutable');
    }
    const fontResponse = await get(`/assets/${font}`, { 'accept-encoding': 'br' });
    if (font.endsWith('.ttf')) expect(fontResponse.headers['content-encoding']).toBe('br');
  });

  it('revalidates index.html and a lesson route: no-cache, and 304 for a matching ETag', async () => {
    for (const path of ['/', '/en/rest', '/ru/rest']) {
      const first = await get(path, { 'accept-encoding': 'br' });
      expect(first.status, path).toBe(200);
      // a first visit gets its session cookie with the page, so the page is private too
      expect(first.headers['cache-control'], path).toBe(first.headers['set-cookie'] ? 'private, no-cache' : 'no-cache');
      expect(first.headers['content-encoding'], path).toBe('br');
      expect(brotliDecompressSync(first.body).toString()).toContain('<div id="root">');
      const etag = first.headers.etag;
      expect(etag, path).toBeTruthy();
      const again = await get(path, { 'accept-encoding': 'br', 'if-none-match': etag! });
      expect(again.status, path).toBe(304);
      expect(again.body.length).toBe(0);
    }
  });
});

describe('the app’s own files in the capture ring', () => {
  it('records a page load’s asset responses head only, and the next exchange on the connection still pairs', async () => {
    const session = await newSession(server.origin);
    const capture = await CaptureClient.open(server.origin, session);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const headers = { cookie: `wirelab_session=${session}`, 'accept-encoding': 'gzip, deflate, br' };
    try {
      const page = await get('/en/rest', headers, agent);
      const script = await get(`/assets/${bigScript}`, headers, agent);
      const api = await get('/api/v1/users?limit=2', headers, agent);
      expect([page.status, script.status, api.status]).toEqual([200, 200, 200]);
      expect(script.headers['x-wirelab-recorded']).toBe('head-only');
      await capture.waitFor(() => capture.chunks().some((c) => c.dir === 'out' && Buffer.from(c.data, 'base64').includes('"items"')));

      const [conn] = capture.connections();
      expect(capture.connections()).toHaveLength(1);
      const recordedOut = capture.bytes(conn.id, 'out');
      // The script's body crossed the wire (hundreds of kB, compressed) but is not in the ring.
      expect(script.body.length).toBeGreaterThan(100_000);
      expect(recordedOut.includes(script.body.subarray(1000, 1064))).toBe(false);
      expect(recordedOut.length).toBeLessThan(4096);

      const connection = capture.connections().find((c) => c.id === conn.id) as unknown as CapturedConnection;
      const chunks = capture
        .chunks()
        .filter((chunk) => chunk.conn === conn.id)
        .map((chunk) => ({ ...chunk, data: new Uint8Array(Buffer.from(chunk.data, 'base64')) }));
      const { exchanges } = decodeConnection(connection, chunks);
      expect(exchanges.map((e) => [e.request.path, e.response?.status])).toEqual([
        ['/en/rest', 200],
        [`/assets/${bigScript}`, 200],
        ['/api/v1/users', 200],
      ]);
      const [pageExchange, scriptExchange, apiExchange] = exchanges;
      for (const skipped of [pageExchange, scriptExchange]) {
        expect(skipped.response!.headers).toContainEqual(['x-wirelab-recorded', 'head-only']);
        expect(skipped.response!.complete).toBe(false);
      }
      expect(apiExchange.response!.complete).toBe(true);
      expect(apiExchange.response!.afterGap).toBe(true);
      expect(JSON.parse(Buffer.from(apiExchange.response!.body).toString())).toHaveProperty('items');
    } finally {
      agent.destroy();
      await capture.close();
    }
  });
});
