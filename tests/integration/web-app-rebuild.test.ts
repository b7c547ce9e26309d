// `npm start` a second time (or `npm run build` while a class runs) must not take the app from under
// a running server: `vite build` used to empty dist/web first, and a page that then loaded a lazy
// chunk failed. Each build now writes a folder of its own and dist/web is pointed at it when it is
// finished (server/web-app/published-build.ts); the server resolves dist/web on every request.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBuildFolder, publishBuild } from '../../server/web-app/published-build.ts';
import viteConfig from '../../vite.config.ts';
import { startServer, type RunningServer } from './start-server.ts';

let dist: string;
let served: string;
let server: RunningServer;

/** A build as vite writes it: index.html naming its lazy chunk, the chunk under assets/. */
function writeBuild(folder: string, version: string): void {
  mkdirSync(join(folder, 'assets'), { recursive: true });
  writeFileSync(join(folder, 'assets', `lazy-${version}.js`), `export const version = '${version}';`);
  writeFileSync(join(folder, 'index.html'), `<!doctype html><script type="module" src="/assets/lazy-${version}.js"></script>`);
}

async function get(path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${server.origin}${path}`);
  return { status: response.status, body: await response.text() };
}

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'wirelab-dist-'));
  served = join(dist, 'web');
  const first = newBuildFolder(dist, 1000, process.pid);
  writeBuild(first, 'one');
  publishBuild(first, served);
  server = await startServer({ webRoot: served });
});
afterAll(async () => {
  await server?.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('a second build while the server runs', () => {
  it('while it is written, the running server still serves the page and its lazy chunk', async () => {
    const second = newBuildFolder(dist, 2000, process.pid);
    // half written: the chunk is there, index.html not yet
    mkdirSync(join(second, 'assets'), { recursive: true });
    writeFileSync(join(second, 'assets', 'lazy-two.js'), "export const version = 'two';");
    expect(await get('/assets/lazy-one.js')).toEqual({ status: 200, body: "export const version = 'one';" });
    expect((await get('/en/rest')).body).toContain('lazy-one.js');

    writeBuild(second, 'two');
    publishBuild(second, served);
    expect((await get('/en/rest')).body).toContain('lazy-two.js');
    expect(await get('/assets/lazy-two.js')).toEqual({ status: 200, body: "export const version = 'two';" });
    expect(lstatSync(served).isSymbolicLink()).toBe(true);
  });

  it('a served folder from before (a real dist/web) is replaced by the link, and builds older than the last two go', async () => {
    const legacy = mkdtempSync(join(tmpdir(), 'wirelab-dist-legacy-'));
    try {
      writeBuild(join(legacy, 'web'), 'legacy');
      const builds = [1, 2, 3].map((n) => newBuildFolder(legacy, n, process.pid));
      for (const [n, build] of builds.entries()) {
        writeBuild(build, `b${n}`);
        publishBuild(build, join(legacy, 'web'));
      }
      expect(lstatSync(join(legacy, 'web')).isSymbolicLink()).toBe(true);
      expect(existsSync(join(legacy, 'web', 'assets', 'lazy-b2.js'))).toBe(true);
      expect(readdirSync(join(legacy, 'web-builds')).sort()).toEqual([`2-${process.pid}`, `3-${process.pid}`]);
    } finally {
      rmSync(legacy, { recursive: true, force: true });
    }
  });

  it("a build put outside dist/web-builds (vite build --outDir) removes nothing of its folder's but older builds", () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'wirelab-outdir-'));
    try {
      mkdirSync(join(elsewhere, 'someone-elses-files'));
      mkdirSync(join(elsewhere, 'node22'));
      const build = join(elsewhere, 'my-build');
      writeBuild(build, 'mine');
      publishBuild(build, join(elsewhere, 'web'));
      expect(readdirSync(elsewhere).sort()).toEqual(['my-build', 'node22', 'someone-elses-files', 'web']);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('vite build never writes into the folder the server serves', () => {
    const outDir = viteConfig.build?.outDir ?? '';
    expect(outDir).toContain(join('dist', 'web-builds'));
    expect(viteConfig.build?.emptyOutDir).toBe(true);
  });
});
