import { lstatSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';

// `vite build` used to empty dist/web and write into it: a second `npm start` (or a rebuild while a
// class runs) emptied the folder under the running server, and a page that then loaded a lazy chunk
// failed. Now each build writes a folder of its own (dist/web-builds/<time>-<pid>), and the served
// path, dist/web, is a link that is pointed at a finished build by renaming a new link over it: one
// atomic step on Linux and macOS, so the server (which resolves dist/web on every request) serves
// the old build or the new one, never a half-written or empty one.

/** The folder of builds beside the served link. */
export const BUILDS_FOLDER = 'web-builds';

/** A new build's own folder in `distDir`, named by its start time and its builder's pid. */
export function newBuildFolder(distDir: string, now = Date.now(), pid = process.pid): string {
  return join(distDir, BUILDS_FOLDER, `${now}-${pid}`);
}

/**
 * Points `served` (dist/web) at `build`. A `served` that is still a folder (made before builds had
 * folders of their own) is moved aside first, the one moment the path is missing, once. Builds
 * older than the one replaced are removed unless their builder still runs.
 */
export function publishBuild(build: string, served: string, platform: NodeJS.Platform = process.platform): void {
  const previous = linkTarget(served);
  const next = `${served}.next-${process.pid}`;
  rmSync(next, { force: true, recursive: true });
  // Windows: a junction (no privilege needed) wants an absolute target; elsewhere a relative one
  // survives copying the tree (CI's production copy).
  symlinkSync(platform === 'win32' ? resolve(build) : relative(dirname(served), build), next, 'junction');
  if (previous === null && existsAsFolder(served)) {
    const aside = `${served}.old-${process.pid}`;
    renameSync(served, aside);
    rmSync(aside, { recursive: true, force: true });
  }
  // Windows cannot rename onto an existing junction: there the path is missing for a moment.
  if (platform === 'win32') rmSync(served, { force: true });
  renameSync(next, served);
  removeOldBuilds(dirname(build), [basename(build), previous === null ? '' : basename(previous)]);
}

/** The folder `path` links to, or null when it is no link (a folder, or nothing). */
function linkTarget(path: string): string | null {
  try {
    if (!lstatSync(path).isSymbolicLink()) return null;
  } catch {
    return null;
  }
  return resolve(dirname(path), readlinkSync(path));
}

function existsAsFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A build folder's name as newBuildFolder makes it: <time>-<pid>. */
const BUILD_NAME = /^\d+-(\d+)$/;

/**
 * Removes the builds but `keep` whose builder (the pid in the name) is gone; nothing else in the
 * folder: a build put elsewhere (`vite build --outDir /tmp/x`) once emptied all of /tmp.
 */
function removeOldBuilds(buildsFolder: string, keep: string[]): void {
  for (const name of readdirSync(buildsFolder)) {
    const builder = BUILD_NAME.exec(name);
    if (!builder || keep.includes(name)) continue;
    const pid = Number(builder[1]);
    if (Number.isInteger(pid) && pid !== process.pid && stillRuns(pid)) continue;
    rmSync(join(buildsFolder, name), { recursive: true, force: true });
  }
}

function stillRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
