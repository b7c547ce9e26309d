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
  private readonly held = new WeakMap<GatedClient, Held>();

  /** Before the client subscribes to anything: aedes takes these functions at SUBSCRIBE. */
  guard(client: GatedClient): void {
    const held: Held = { deliveries: [], originals: { deliverQoS: client.deliverQoS, deliver0: client.deliver0 }, dropped: false };
    this.held.set(client, held);
    for (const name of ['deliverQoS', 'deliver0'] as const) {
      const deliver = held.originals[name].bind(client);
      client[name] = (packet, done) => {
        if (client.connected) return deliver(packet, done);
        // Closed before it was ready: nothing goes out, but the broker hears it done (mqemitter
        // waits for every subscriber's callback before it counts a message as handled).
        if (held.dropped) return done();
        held.deliveries.push({ deliver: () => deliver(packet, done), done });
      };
    }
  }

  /**
   * CONNACK and the queue are out (aedes' `clientReady`): what was held goes now, in the order it
   * came, and the client gets its own delivery functions back, so what it subscribes to from now
   * on is delivered without this gate in between (subscriptions restored before CONNACK keep it).
   */
  opened(client: GatedClient): void {
    const held = this.held.get(client);
    if (!held || held.dropped) return;
    client.deliverQoS = held.originals.deliverQoS;
    client.deliver0 = held.originals.deliver0;
    for (const { deliver } of held.deliveries.splice(0)) deliver();
  }

  /**
   * The connection ended before it was ready: nothing is delivered, but the broker hears each one
   * done (a persistent session's store still holds its messages for the next connection), now
   * and for whatever reaches the client until aedes has removed its subscriptions.
   */
  dropped(client: GatedClient): void {
    const held = this.held.get(client);
    if (!held) return;
    held.dropped = true;
    for (const { done } of held.deliveries.splice(0)) done();
  }
}

/** A guarded client's deliveries waiting for CONNACK, and aedes' own delivery functions. */
interface Held {
  deliveries: Array<{ deliver: () => void; done: () => void }>;
  originals: Pick<GatedClient, 'deliverQoS' | 'deliver0'>;
  dropped: boolean;
}
