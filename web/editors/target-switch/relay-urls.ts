// Where a console connects when "my server" is chosen: Wirelab's relay for its protocol, told the
// student's host:port and the path the console typed (contracts/own-server/relays.ts).
import { OWN_SERVER_MQTT_RELAY_PATH, OWN_SERVER_SSE_RELAY_PATH, OWN_SERVER_WS_RELAY_PATH, relayQuery } from '../../../contracts/own-server/relays.ts';

/** The path and query of what the console typed (`/ws/echo?x=1`, or a whole URL: its path). */
export function pathOf(typed: string, pageOrigin: string): string {
  const url = new URL(typed.trim(), pageOrigin);
  return `${url.pathname}${url.search}`;
}

const webSocketOrigin = (pageOrigin: string) => pageOrigin.replace(/^http/, 'ws');

/** The WebSocket relay's URL for the path typed, aimed at `address`. */
export function webSocketRelayUrl(typed: string, address: string, pageOrigin: string): string {
  return `${webSocketOrigin(pageOrigin)}${OWN_SERVER_WS_RELAY_PATH}${relayQuery(address, pathOf(typed, pageOrigin))}`;
}

/** The event-stream relay's URL (same origin, a GET) for the path typed. */
export function eventStreamRelayUrl(typed: string, address: string, pageOrigin: string): string {
  return `${OWN_SERVER_SSE_RELAY_PATH}${relayQuery(address, pathOf(typed, pageOrigin))}`;
}

/** The MQTT relay's URL: MQTT over WebSocket to Wirelab, MQTT over TCP to the student's broker. */
export function mqttRelayUrl(address: string, pageOrigin: string): string {
  return `${webSocketOrigin(pageOrigin)}${OWN_SERVER_MQTT_RELAY_PATH}${relayQuery(address)}`;
}
