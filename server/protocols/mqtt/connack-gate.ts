/** What the gate needs of an aedes client: its two delivery functions and whether it is ready. */
export interface GatedClient {
  /** aedes sets it once CONNACK is out and the session's queue was handed over */
  connected: boolean;
  deliverQoS(packet: unknown, done: () => void): void;
  deliver0(packet: unknown, done: () => void): void;
}

/**
 * Keeps a client's live deliveries behind its CONNACK and its session's queue. aedes restores a
 * persistent session's subscriptions before it sends CONNACK and writes to a connection that is
 * still connecting, so a message published in between goes out first — and MQTT 3.1.1 (§3.2) has
 * the server's first packet be CONNACK: mqtt.js gives up on such a connection. After CONNACK such
 * a message would still overtake the older ones aedes then sends from the queue (§4.6 wants a
 * topic's messages in order). On one process the gap is a few microtasks; on Redis it is several
 * round trips (subscriptions, the will, the session's store), wide enough for a client that comes
 * back to another instance while messages still arrive. A message that was both queued and
 * delivered live in the gap comes twice: QoS 1 is at least once.
 */
export class ConnackGate {
  private readonly held = new WeakMap<GatedClient, Array<{ deliver: () => void; done: () => void }>>();

  /** Before the client subscribes to anything: aedes takes these functions at SUBSCRIBE. */
  guard(client: GatedClient): void {
    const held: Array<{ deliver: () => void; done: () => void }> = [];
    this.held.set(client, held);
    for (const name of ['deliverQoS', 'deliver0'] as const) {
      const deliver = client[name].bind(client);
      client[name] = (packet, done) => {
        if (client.connected) return deliver(packet, done);
        held.push({ deliver: () => deliver(packet, done), done });
      };
    }
  }

  /** CONNACK and the queue are out (aedes' `clientReady`): what was held goes now, in the order it came. */
  opened(client: GatedClient): void {
    const held = this.held.get(client);
    if (!held) return;
    for (const { deliver } of held.splice(0)) deliver();
  }

  /**
   * The connection ended before it was ready: nothing is delivered, but the broker hears each one
   * done (a persistent session's store still holds its messages for the next connection).
   */
  dropped(client: GatedClient): void {
    const held = this.held.get(client);
    if (held) for (const { done } of held.splice(0)) done();
  }
}
