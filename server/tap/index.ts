// The public face of server/tap/ (its README): what server/app.ts and server/main.ts compose the app from.
export { CaptureHub, captureInstanceId } from './capture-hub.ts';
export type { CaptureLimits } from './capture-types.ts';
export { CAPTURE_CHANNEL_PATH, captureChannel } from './capture-channel.ts';
