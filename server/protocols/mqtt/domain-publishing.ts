import type { FastifyInstance } from 'fastify';
import type { Aedes } from 'aedes';
import { chatTopic, domainEventTopic, toBrokerTopic } from './topics.ts';

// What the rest of Wirelab says, published on the broker: a REST POST, a gRPC call or a chat
// message in any protocol shows up in its sandbox's topics.

/** Starts publishing domain events and chat messages; the returned function stops it. */
export function publishDomainTraffic(app: FastifyInstance, broker: Aedes): () => void {
  // Every change of a sandbox, whichever protocol made it, is published in that sandbox. Only by
  // the instance where it was made: the broker is shared through Redis, so an instance that
  // published the events other instances relay would publish each of them once per instance.
  const unsubscribe = app.domain.events.subscribe((event) => {
    broker.publish(
      {
        cmd: 'publish',
        topic: toBrokerTopic(event.sandboxId, domainEventTopic(event.type)),
        payload: Buffer.from(JSON.stringify(event)),
        qos: 1,
        retain: false,
        dup: false,
      },
      (error) => {
        if (error) app.log.warn({ err: error }, 'domain event not published to MQTT');
      },
    );
  }, { localOnly: true });
  // And every chat message, whichever chat carried it, as the domain events are published. Only
  // this process's (localOnly): the broker may be shared with other instances, which mirror their own.
  const unsubscribeChat = app.domain.chat.subscribe(
    (message) => {
      broker.publish(
        {
          cmd: 'publish',
          topic: toBrokerTopic(message.sandboxId, chatTopic(message.via, message.room)),
          payload: Buffer.from(JSON.stringify(message)),
          qos: 1,
          retain: false,
          dup: false,
        },
        (error) => {
          if (error) app.log.warn({ err: error }, 'chat message not published to MQTT');
        },
      );
    },
    { localOnly: true },
  );
  return () => {
    unsubscribe();
    unsubscribeChat();
  };
}
