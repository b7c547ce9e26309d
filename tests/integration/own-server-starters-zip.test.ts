import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './as-code-runners.ts';
import { startServer, type RunningServer } from './start-server.ts';

// The starters' zip, unpacked by Python's zipfile (a reader nobody here wrote): every file of the
// repository's starters/ but the complete versions (starters/<language>/complete/: the students get
// the skeletons) and every .proto, byte for byte, scripts executable, nothing built or generated;
// the gRPC stubs script runs in the unpacked folder as its README says.

const run = promisify(execFile);
let server: RunningServer;
const work = mkdtempSync(join(tmpdir(), 'wirelab-starters-zip-'));

beforeAll(async () => {
  server = await startServer({ ownServers: false });
});
afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('GET /_wirelab/own-server/starters.zip', () => {
  it('holds the repository’s starters but their complete versions, and the protos, byte for byte, even with OWN_SERVERS=off', async () => {
    const response = await fetch(`${server.origin}/_wirelab/own-server/starters.zip`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="wirelab-starters.zip"');
    writeFileSync(join(work, 'starters.zip'), Buffer.from(await response.arrayBuffer()));
    await run('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', join(work, 'starters.zip'), work]);
    const unpacked = join(work, 'wirelab-starters');

    const tracked = (await run('git', ['ls-files', 'starters', 'proto'], { cwd: REPO_ROOT })).stdout
      .split('\n')
      .filter((path) => path.startsWith('starters/') || (path.endsWith('.proto') && !path.startsWith('proto/gen/')))
      .filter((path) => !/^starters\/[^/]+\/complete\//.test(path));
    const listed = (
      await run('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', join(work, 'starters.zip')])
    ).stdout
      .trim()
      .split('\n');
    expect(listed.map((name) => name.replace(/^wirelab-starters\//, '')).sort()).toEqual(tracked.sort());
    expect(listed.filter((name) => name.includes('/complete/'))).toEqual([]);
    expect(listed).toEqual(expect.arrayContaining(['wirelab-starters/starters/python/rest_server.py', 'wirelab-starters/starters/go/websocket/main.go']));
    for (const path of tracked) expect(readFileSync(join(unpacked, path)).equals(readFileSync(join(REPO_ROOT, path))), path).toBe(true);
    // Python's zipfile keeps no mode: read the archive's own attributes for the scripts
    const modes = JSON.parse(
      (
        await run('python3', [
          '-c',
          'import sys, json, zipfile; print(json.dumps({i.filename: i.external_attr >> 16 for i in zipfile.ZipFile(sys.argv[1]).infolist()}))',
          join(work, 'starters.zip'),
        ])
      ).stdout,
    ) as Record<string, number>;
    for (const path of tracked.filter((each) => each.endsWith('.sh'))) {
      expect(modes[`wirelab-starters/${path}`] & 0o111, path).toBe(statSync(join(REPO_ROOT, path)).mode & 0o111);
    }
    // the Python gRPC starter's stubs, made in the unpacked folder from its protos
    await run('bash', [join(unpacked, 'starters/python/generate_grpc_stubs.sh')], { cwd: unpacked });
    const stubs = (await run('find', ['starters/python', '-name', '*_pb2_grpc.py'], { cwd: unpacked })).stdout;
    expect(stubs).toMatch(/users_pb2_grpc\.py/);
  });
});
