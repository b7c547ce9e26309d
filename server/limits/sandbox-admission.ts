import type { AddressBudget, RequestAdmission } from './address-budget.ts';

/**
 * May a request from `address` work in `sandboxId`? Always, when the sandbox exists; a new one
 * (about 13 KB of database, seeded) spends a token of the address's `sandboxes` rate, so a
 * script sending a fresh cookie with every request cannot grow the database at will.
 */
export function admitSandbox(
  budget: AddressBudget,
  domain: { sandboxExists(sandboxId: string): boolean },
  sandboxId: string,
  address: string | undefined,
): RequestAdmission {
  if (domain.sandboxExists(sandboxId)) return { ok: true };
  return budget.takeRequest('sandboxes', address);
}
