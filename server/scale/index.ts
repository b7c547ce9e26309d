// The public face of server/scale/ (its README): what server/app.ts and server/main.ts compose the app from.
export type { ScaleOptions } from './scale-options.ts';
export { default as scalePlugin } from './scale-plugin.ts';
export { default as loadBalancerHooks } from './load-balancer-hooks.ts';
export { default as eventRelayPlugin } from './event-relay.ts';
