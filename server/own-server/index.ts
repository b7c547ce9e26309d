// The public face of server/own-server/ (its README): what server/app.ts and server/main.ts compose the app from.
export { default as ownServerRoutes } from './routes.ts';
export { default as startersZipRoute } from './starters-zip.ts';
export { ownServersEnabled, redisDenial, parseDeniedPorts } from './address-guard.ts';
export { ChecksArrivingBack, wirelabWhoamiRoute } from './wirelab-itself.ts';
export { shareArrivalsThroughRedis } from './arriving-back-bus.ts';
export { ownServerRunsPlugin } from './run-history.ts';
