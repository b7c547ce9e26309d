import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingServerFlags, SERVER_NODE_FLAGS } from './node-flags.ts';

describe('the V8 settings the server runs with', () => {
  const scripts = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')).scripts as Record<string, string>;

  it('npm start passes every one of them to node before server/main.ts', () => {
    const command = scripts.start.slice(scripts.start.indexOf('node '));
    const beforeMain = command.slice(0, command.indexOf('server/main.ts')).split(/\s+/);
    for (const flag of SERVER_NODE_FLAGS) expect(beforeMain).toContain(flag);
  });

  it('the deployment guide starts its instances with them too', () => {
    const guide = readFileSync(join(import.meta.dirname, '..', 'deploy', 'README.md'), 'utf8');
    expect(guide).toContain(`node ${SERVER_NODE_FLAGS.join(' ')} --import tsx server/main.ts`);
  });

  it("CI's production copy starts with them too", () => {
    const ciRun = readFileSync(join(import.meta.dirname, '..', '.ci', 'run'), 'utf8');
    expect(ciRun).toContain(`"$oldest_node_bin" ${SERVER_NODE_FLAGS.join(' ')} --import tsx server/main.ts`);
  });

  it('names the ones a process was started without', () => {
    expect(missingServerFlags([...SERVER_NODE_FLAGS, '--import', 'tsx'])).toEqual([]);
    expect(missingServerFlags(['--import', 'tsx'])).toEqual([...SERVER_NODE_FLAGS]);
    expect(missingServerFlags(['--single-threaded-gc'])).toEqual(SERVER_NODE_FLAGS.slice(1));
  });

  it('every one is a flag this node accepts', async () => {
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, '-e', 'process.exit(0)'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
