import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSessionSecret, loadSharedSessionSecret, SESSION_SECRET_FILE } from './session-secret.ts';
import { isSessionId, newSessionId, useSessionSecret } from './session-id.ts';

describe('the session secret in DATA_DIR', () => {
  afterAll(() => useSessionSecret(randomBytes(32)));

  it('is made once, readable by its owner only, and signs ids that survive a restart', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wirelab-secret-'));
    const first = loadSessionSecret(dataDir);
    expect(first.length).toBe(32);
    expect(statSync(join(dataDir, SESSION_SECRET_FILE)).mode & 0o777).toBe(0o600);
    useSessionSecret(first);
    const id = newSessionId();
    // a restart: the same file, the same secret, the id still counts
    useSessionSecret(loadSessionSecret(dataDir));
    expect(isSessionId(id)).toBe(true);
    // another server (another secret) never issued it
    useSessionSecret(loadSessionSecret(mkdtempSync(join(tmpdir(), 'wirelab-secret-'))));
    expect(isSessionId(id)).toBe(false);
  });
});

describe('the shared session secret (SESSION_SECRET_FILE)', () => {
  afterAll(() => useSessionSecret(randomBytes(32)));

  it("is read, never made: two instances given the file accept each other's ids", () => {
    const file = join(mkdtempSync(join(tmpdir(), 'wirelab-secret-')), 'shared');
    expect(() => loadSharedSessionSecret(file)).toThrow(/cannot be read \(ENOENT\)/);
    writeFileSync(file, randomBytes(32));
    useSessionSecret(loadSharedSessionSecret(file));
    const id = newSessionId();
    // the other instance: its own DATA_DIR, the same file
    useSessionSecret(loadSharedSessionSecret(file));
    expect(isSessionId(id)).toBe(true);
  });

  it('refuses a secret shorter than 32 bytes', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'wirelab-secret-')), 'short');
    writeFileSync(file, 'password\n');
    expect(() => loadSharedSessionSecret(file)).toThrow(/holds 9 bytes; it needs at least 32/);
  });
});
