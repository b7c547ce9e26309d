import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSessionSecret, SESSION_SECRET_FILE } from './session-secret.ts';
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
