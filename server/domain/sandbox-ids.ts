import { ValidationError } from './errors.ts';

export const SHARED_SANDBOX = 'shared';
export const SANDBOX_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** How stale a sandbox's recorded last use may get: recording every request would be a write per read. */
export const LAST_USE_RESOLUTION_MS = 60_000;

export function checkSandboxId(sandboxId: string): void {
  if (typeof sandboxId !== 'string' || !SANDBOX_ID.test(sandboxId)) {
    throw new ValidationError([{ field: 'sandbox', message: 'must be 1..64 letters, digits, "_" or "-"' }]);
  }
}
