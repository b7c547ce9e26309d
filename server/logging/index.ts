// The public face of server/logging/ (its README): what server/app.ts and server/main.ts compose the app from.
export { ErrorsOnlyRequestLogs } from './request-log-controller.ts';
export { loggerOptions, logSettingsFrom } from './log-setup.ts';
