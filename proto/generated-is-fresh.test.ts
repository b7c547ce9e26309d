import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
const BUF = join(ROOT, 'node_modules', '.bin', 'buf');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

// proto/gen is committed: a .proto change without `npm run generate` must fail CI, not ship
// TypeScript that no longer matches the contract.
describe('proto/', () => {
  const scratch = mkdtemp(join(tmpdir(), 'wirelab-buf-'));
  afterAll(async () => rm(await scratch, { recursive: true, force: true }));

  it('passes buf lint', async () => {
    await expect(run(BUF, ['lint'], { cwd: ROOT })).resolves.toBeDefined();
  });

  it('proto/gen is exactly what `npm run generate` writes', async () => {
    const out = await scratch;
    await run(BUF, ['generate', '--output', out], { cwd: ROOT });
    const fresh = join(out, 'proto', 'gen');
    const committed = join(ROOT, 'proto', 'gen');
    const freshFiles = await filesUnder(fresh);
    expect(freshFiles.length).toBeGreaterThan(0);
    expect(await filesUnder(committed)).toEqual(freshFiles);
    for (const file of freshFiles) {
      const [a, b] = await Promise.all([readFile(join(committed, file)), readFile(join(fresh, file))]);
      expect(a.equals(b), `${file} differs from a fresh \`npm run generate\``).toBe(true);
    }
  }, 60_000);
});
