/**
 * Per-sandbox namespaces of the broker. A client sees and uses plain topics (`chat/x`); inside
 * the broker they live under `$sandbox/<sandbox>/chat/x`, and client ids under `<sandbox>/<id>`.
 *
 * The root starts with `$`: MQTT keeps such topics out of `#` and `+` at the first level
 * (§4.7.2), and clients may not use `$` topics here, so a topic a client sees can never be
 * mistaken for a namespaced one (stripping twice is harmless).
 */
export const SANDBOX_TOPIC_ROOT = '$sandbox';

export function sandboxTopicPrefix(sandbox: string): string {
  return `${SANDBOX_TOPIC_ROOT}/${sandbox}/`;
}

/** The broker's topic (or filter) for a client's; an empty one stays empty so the broker refuses it. */
export function toBrokerTopic(sandbox: string, topic: string): string {
  return topic.length === 0 ? topic : sandboxTopicPrefix(sandbox) + topic;
}

/**
 * The topic a client of `sandbox` sees: `undefined` for a namespaced topic of another sandbox.
 * A topic without the root is already a client's (a stored packet that was stripped before).
 */
export function toClientTopic(sandbox: string, topic: string): string | undefined {
  const prefix = sandboxTopicPrefix(sandbox);
  if (topic.startsWith(prefix)) return topic.slice(prefix.length);
  return topic.startsWith('$') ? undefined : topic;
}

/** A client topic the broker keeps for itself (`$SYS/…`, and the sandbox root). */
export function isReservedClientTopic(topic: string): boolean {
  return topic.startsWith('$');
}

/** Whether the client part of a broker topic of `sandbox` is reserved. */
export function isReservedBrokerTopic(sandbox: string, topic: string): boolean {
  const prefix = sandboxTopicPrefix(sandbox);
  return !topic.startsWith(prefix) || isReservedClientTopic(topic.slice(prefix.length));
}

/** A client id in the broker: the same id in two sandboxes is two clients. Empty stays empty. */
export function toBrokerClientId(sandbox: string, clientId: string): string {
  return clientId.length === 0 ? clientId : `${sandbox}/${clientId}`;
}

/** The packets a client sends that name topics (as mqtt-packet parses them). */
export type InboundPacket =
  | { cmd: 'connect'; clientId: string; will?: { topic: string } | null }
  | { cmd: 'publish'; topic: string }
  | { cmd: 'subscribe'; subscriptions: Array<{ topic: string }> }
  | { cmd: 'unsubscribe'; unsubscriptions: string[] }
  | { cmd: string };

/** Rewrites, in place, every topic and the client id of a packet from a client of `sandbox`. */
export function namespaceInbound(packet: InboundPacket, sandbox: string): void {
  switch (packet.cmd) {
    case 'connect': {
      const connect = packet as Extract<InboundPacket, { cmd: 'connect' }>;
      connect.clientId = toBrokerClientId(sandbox, connect.clientId ?? '');
      if (connect.will) connect.will.topic = toBrokerTopic(sandbox, connect.will.topic);
      return;
    }
    case 'publish': {
      const publish = packet as Extract<InboundPacket, { cmd: 'publish' }>;
      publish.topic = toBrokerTopic(sandbox, publish.topic);
      return;
    }
    case 'subscribe':
      for (const subscription of (packet as Extract<InboundPacket, { cmd: 'subscribe' }>).subscriptions) {
        subscription.topic = toBrokerTopic(sandbox, subscription.topic);
      }
      return;
    case 'unsubscribe': {
      const unsubscribe = packet as Extract<InboundPacket, { cmd: 'unsubscribe' }>;
      unsubscribe.unsubscriptions = unsubscribe.unsubscriptions.map((topic) => toBrokerTopic(sandbox, topic));
      return;
    }
  }
}

/**
 * toClientTopic for the deliveries of one publish. aedes asks, once per subscriber, with the same
 * topic, and every subscriber that matched it is of the same sandbox (its filter names it): the
 * last answer is kept, so the topic is stripped once per publish, not once per delivery.
 */
export class ClientTopicOfDelivery {
  private last: { sandbox: string; topic: string; clientTopic: string | undefined } | null = null;

  of(sandbox: string, topic: string): string | undefined {
    const last = this.last;
    if (last && last.topic === topic && last.sandbox === sandbox) return last.clientTopic;
    const clientTopic = toClientTopic(sandbox, topic);
    this.last = { sandbox, topic, clientTopic };
    return clientTopic;
  }
}

/** The topic of a domain event in its sandbox: `user.created` → `events/user/created`. */
export function domainEventTopic(type: string): string {
  return `events/${type.split('.').join('/')}`;
}

/** Characters a topic level cannot carry as they are: wildcards, the level separator, NUL and other controls, and `%` itself. */
const UNSAFE_IN_TOPIC_LEVEL = /[%+#/\p{Cc}]/gu;

/**
 * A name (a chat room) as one topic level: `+`, `#`, `/`, `%` and control characters are
 * percent-encoded (UTF-8), everything else stays readable (`лобби` stays `лобби`). So a name can
 * neither add levels nor make a published topic a filter, and two names never share a level.
 */
export function topicLevelOf(name: string): string {
  return name.replace(UNSAFE_IN_TOPIC_LEVEL, (character) =>
    [...Buffer.from(character, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** The topic of a chat message in its sandbox: `chat/socket.io/lobby`, `chat/websocket/<sandbox id>`. */
export function chatTopic(via: string, room: string): string {
  return `chat/${topicLevelOf(via)}/${topicLevelOf(room)}`;
}
