/** Where MQTT over WebSocket is served (subprotocol `mqtt`); plain TCP MQTT shares the port's root. */
export const MQTT_WEBSOCKET_PATH = '/mqtt';
export const MQTT_SUBPROTOCOLS = ['mqtt', 'mqttv3.1'];

/** The broker's limits; each is documented in README.md beside this file (and in the repo README). */
export interface MqttLimits {
  /** Remaining length of one packet (all but its 2–5 byte fixed header); larger: disconnected. */
  maxPacketBytes: number;
  /** QoS 2 messages a client may have sent and not yet released (PUBREL); more: disconnected. */
  maxInflightInbound: number;
  /** QoS 1/2 messages kept for one offline persistent session; newer ones are dropped for it. */
  maxQueuedPerSession: number;
  /** Topic filters one client may subscribe to; more: SUBACK 0x80 (failure) for the extra ones. */
  maxSubscriptionsPerClient: number;
  /** Open MQTT connections per browser session (else per sandbox and address): CONNACK 3. */
  maxConnectionsPerSession: number;
  /** Packets a client may send before its CONNECT is accepted. */
  maxPacketsBeforeConnack: number;
  /** A connection must send CONNECT within this time. */
  connectTimeoutMs: number;
}

export const DEFAULT_MQTT_LIMITS: MqttLimits = {
  // A lesson's messages are JSON of a few hundred bytes; 256 KiB leaves room for a picture, not a flood.
  maxPacketBytes: 256 * 1024,
  maxInflightInbound: 100,
  // An offline worker in the pipeline lab catches up on a thousand orders; a forgotten session cannot fill the disk.
  maxQueuedPerSession: 1000,
  maxSubscriptionsPerClient: 100,
  // A lesson page holds a console and a worker; several tabs and reconnects fit, a script opening hundreds does not.
  maxConnectionsPerSession: 20,
  maxPacketsBeforeConnack: 42,
  connectTimeoutMs: 10_000,
};

/** CONNACK return codes of MQTT 3.1.1 (§3.2.2.3) this broker sends itself. */
export const CONNACK = {
  identifierRejected: 2,
  serverUnavailable: 3,
  badUsernameOrPassword: 4,
} as const;

/** A client names its sandbox with the user name `sandbox:<id>` (a tool cannot send a cookie). */
export const SANDBOX_USERNAME_PREFIX = 'sandbox:';
