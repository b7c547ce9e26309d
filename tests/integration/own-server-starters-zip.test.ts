import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './as-code-runners.ts';
import { post } from './classroom-client.ts';
import { startServer, type RunningServer } from './start-server.ts';

// The starters' zip, unpacked by Python's zipfile (a reader nobody here wrote): every file of the
// repository's starters/ but the complete versions (starters/<language>/complete/: the students get
// the skeletons) and every .proto, byte for byte, scripts executable, nothing built or generated;
// the gRPC stubs script runs in the unpacked folder as its README says. The teacher's copy, with
// the complete versions, answers the teacher key only.

const run = promisify(execFile);
const KEY = 'starters-zip-teacher-key';
let server: RunningServer;
const work = mkdtempSync(join(tmpdir(), 'wirelab-starters-zip-'));

beforeAll(async () => {
  server = await startServer({ ownServers: false, classroom: { teacherKey: KEY } });
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
    await run('/usr/bin/python3', [join(unpacked, 'starters/python/generate_grpc_stubs.py')], { cwd: unpacked });
    const stubs = (await run('find', ['starters/python', '-name', '*_pb2_grpc.py'], { cwd: unpacked })).stdout;
    expect(stubs).toMatch(/users_pb2_grpc\.py/);
  });
});

/** The names in a zip, as Python's zipfile reads them. */
async function namesIn(zip: Buffer): Promise<string[]> {
  const path = join(work, `names-${zip.length}.zip`);
  writeFileSync(path, zip);
  const listed = await run('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', path]);
  return listed.stdout.trim().split('\n');
}

describe('GET /_wirelab/class/starters-complete.zip, the teacher’s copy', () => {
  const url = () => `${server.origin}/_wirelab/class/starters-complete.zip`;

  it('gives the teacher the starters with every complete version, byte for byte', async () => {
    const response = await fetch(url(), { headers: { 'x-wirelab-teacher-key': KEY } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="wirelab-starters-complete.zip"');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const zip = Buffer.from(await response.arrayBuffer());
    const complete = (await run('git', ['ls-files', 'starters/python/complete', 'starters/go/complete'], { cwd: REPO_ROOT })).stdout.trim().split('\n');
    expect(complete.length).toBeGreaterThan(8);
    const listed = await namesIn(zip);
    expect(listed).toEqual(expect.arrayContaining([...complete, 'starters/python/rest_server.py'].map((path) => `wirelab-starters/${path}`)));
    await run('python3', [
      '-c',
      'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])',
      join(work, `names-${zip.length}.zip`),
      join(work, 'teacher'),
    ]);
    for (const path of complete)
      expect(readFileSync(join(work, 'teacher', 'wirelab-starters', path)).equals(readFileSync(join(REPO_ROOT, path))), path).toBe(true);
  });

  it.each([
    ['no key', {}],
    ['a wrong key', { 'x-wirelab-teacher-key': 'not-the-key' }],
  ])('refuses %s: 403, problem+json in both languages, no zip', async (_who, headers: Record<string, string>) => {
    const response = await fetch(url(), { headers });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { status: number; localized: { en: string; ru: string } };
    expect(problem.status).toBe(403);
    expect(problem.localized.en).toMatch(/teacher/i);
    expect(problem.localized.ru).toMatch(/преподават/i);
  });

  it('refuses a student who joined a class: their session and member token are no teacher key', async () => {
    const teacher = { 'x-wirelab-teacher-key': KEY, 'content-type': 'application/json' };
    const { code } = (await (await post(server.origin, '/_wirelab/class/classes', { title: 'Стартеры' }, teacher)).json()) as { code: string };
    const cookie = (await fetch(`${server.origin}/_wirelab/session`)).headers.getSetCookie()[0]!.split(';')[0]!;
    const joined = await post(server.origin, '/_wirelab/class/join', { code, name: 'Студентка' }, { 'content-type': 'application/json', cookie });
    expect(joined.status).toBe(200);
    const { memberToken } = (await joined.json()) as { memberToken: string };
    const response = await fetch(url(), { headers: { cookie, 'x-wirelab-member': memberToken } });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await response.json()) as { error: string }).error).toBe('TEACHER_KEY_REQUIRED');
  });
});
