// The public face of server/limits/ (its README): what server/app.ts and server/main.ts compose the app from.
export { default as limitsPlugin } from './limits-plugin.ts';
export { AddressBudget } from './address-budget.ts';
export { withClientLimits, clientLimitsFromEnv } from './client-limits.ts';
export type { PartialClientLimits } from './client-limits.ts';
export { AddressGate } from './address-gate.ts';
