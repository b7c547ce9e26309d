// The public face of server/listener/ (its README): what server/app.ts and server/main.ts compose the app from.
export { default as websocketEndpoints } from './websocket-endpoints.ts';
export { websocketErrorHandler } from './bad-frame-log.ts';
export { createOnePortServer } from './one-port-server.ts';
export type { OnePortOptions, OnePortServer, ServerTimeouts } from './one-port-server.ts';
export { default as sameOrigin, isAllowedOrigin, refuseUpgrade, parseAllowedOrigins } from './same-origin.ts';
export type { Http2GuardOptions, Http2SessionLimits } from './h2-session-guard.ts';
export { forwardedClient, parseTrustProxy } from './trust-proxy.ts';
export type { TrustProxySetting } from './trust-proxy.ts';
export { default as hostCheck, knownHosts, refuseUnknownHostUpgrade, parseAllowedHosts } from './host-check.ts';
export { OpenWebSockets, refuseUpgradeWhileShuttingDown } from './goodbye.ts';
export { parseProxyProtocolFrom } from './proxy-header.ts';
export { loopbackReachWarning } from './startup-warnings.ts';
