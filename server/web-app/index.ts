// The public face of server/web-app/ (its README): what server/app.ts and server/main.ts compose the app from.
export { default as webAppPlugin, isAppFileRequest, RECORDED_HEADER, sendNotFound } from './web-app-plugin.ts';
export { default as securityHeaders } from './security-headers.ts';
