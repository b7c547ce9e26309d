// The public face of server/session/ (its README): what server/app.ts and server/main.ts compose the app from.
export { captureOwnerOf, sessionOfCookies, useSessionSecret } from './session-id.ts';
export { sessionOfSelfConnection } from './self-connections.ts';
export { default as sessionPlugin } from './session-plugin.ts';
export { loadSessionSecret, loadSharedSessionSecret } from './session-secret.ts';
