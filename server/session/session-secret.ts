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

/**
 * The secret of a deployment of several instances (SESSION_SECRET_FILE): one file that every
 * instance reads, so a cookie issued by one is valid on all of them. Made by the admin
 * (`head -c 32 /dev/urandom > secret`), never by the server: two instances that each made their
 * own would sign apart, and a student sent to the other one would silently get a new session.
 */
export function loadSharedSessionSecret(file: string): Buffer {
  let secret: Buffer;
  try {
    secret = readFileSync(file);
  } catch (error) {
    throw new Error(`SESSION_SECRET_FILE ${file} cannot be read (${(error as NodeJS.ErrnoException).code}): make it with "head -c 32 /dev/urandom > ${file}"`);
  }
  if (secret.length < 32) throw new Error(`SESSION_SECRET_FILE ${file} holds ${secret.length} bytes; it needs at least 32`);
  return secret;
}
