import type { FastifyInstance } from 'fastify';
import type { Aedes } from 'aedes';
import { publicSandboxName } from '../../session/session-id.ts';
import { chatTopic, domainEventTopic, toBrokerTopic } from './topics.ts';

// What the rest of Wirelab says, published on the broker: a REST POST, a gRPC call or a chat
// message in any protocol shows up in its sandbox's topics.

/** Starts publishing domain events and chat messages; the returned function stops it. */
export function publishDomainTraffic(app: FastifyInstance, broker: Aedes): () => void {
  /** One JSON message at QoS 1 on a sandbox's topic; a failure is logged as `what` not published. */
  const publish = (sandboxId: string, topic: string, body: unknown, what: string): void => {
    const packet = {
      cmd: 'publish',
      topic: toBrokerTopic(sandboxId, topic),
      payload: Buffer.from(JSON.stringify(body)),
      qos: 1,
      retain: false,
      dup: false,
    } as const;
    broker.publish(packet, (error) => {
      if (error) app.log.warn({ err: error }, `${what} not published to MQTT`);
    });
  };
  // Every change of a sandbox, whichever protocol made it, is published in that sandbox, and every
  // chat message, whichever chat carried it. Only by the instance where it happened (localOnly):
  // the broker is shared through Redis, so an instance that published what other instances relay
  // would publish each of them once per instance.
  // The payloads name the sandbox by its public name: a session's sandbox id is its credential,
  // and a dashboard on a projector shows what it receives.
  const unsubscribe = app.domain.events.subscribe(
    (event) => publish(event.sandboxId, domainEventTopic(event.type), { ...event, sandboxId: publicSandboxName(event.sandboxId) }, 'domain event'),
    { localOnly: true },
  );
  const unsubscribeChat = app.domain.chat.subscribe(
    (message) =>
      publish(message.sandboxId, chatTopic(message.via, message.room), { ...message, sandboxId: publicSandboxName(message.sandboxId) }, 'chat message'),
    { localOnly: true },
  );
  return () => {
    unsubscribe();
    unsubscribeChat();
  };
}
