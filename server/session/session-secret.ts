import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SESSION_SECRET_FILE = 'session-secret';

/**
 * The secret that signs session ids and seals curl tokens, kept in DATA_DIR so that students'
 * cookies survive a restart; made (32 random bytes, readable by the owner only) on first start.
 * Deleting the file signs every student out: their next visit gets a new session.
 */
export function loadSessionSecret(dataDir: string): Buffer {
  const file = join(dataDir, SESSION_SECRET_FILE);
  try {
    const secret = readFileSync(file);
    if (secret.length >= 32) return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32);
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
