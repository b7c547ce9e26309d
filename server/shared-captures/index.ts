// The public face of server/shared-captures/ (its README): what server/app.ts and server/main.ts compose the app from.
export { default as sharedCapturesPlugin } from './shared-captures-plugin.ts';
export { blankerOf } from './blanking.ts';
export type { BlankerSettings } from './blanking.ts';
export { DEFAULT_SHARED_CAPTURE_LIMITS } from './shared-capture-store.ts';
export type { SharedCaptureLimits } from './shared-capture-store.ts';
