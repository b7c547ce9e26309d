import type { AedesOptions, AedesPublishPacket, AuthenticateError, Client } from 'aedes';
import type { ConnectionQuota } from '../../limits/connection-quota.ts';
import { quotaKey } from '../../limits/connection-quota.ts';
import type { PipelineHooks } from './pipeline/index.ts';
import { LAB_CLIENT_PREFIX } from './pipeline/limits.ts';
import { connectionOf } from './client-connections.ts';
import { CONNACK, type MqttLimits } from './limits.ts';
import { topicMatches } from '../../../wire/mqtt/topic-rules.ts';
import { ClientTopicOfDelivery, isReservedBrokerTopic, toClientTopic } from './topics.ts';

// Who may connect, publish, subscribe and receive on the embedded broker: aedes' four hooks, each
// deciding from the connection's sandbox (client-connections.ts) and the broker's limits.

const MQTT31_MAX_CLIENT_ID = 23;

type AccessHooks = Required<Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe' | 'authorizeForward'>>;

/** `lab()`: the pipeline lab's hooks, bound once the lab exists (it needs the broker these hooks are for). */
export function brokerAccess(limits: MqttLimits, quota: ConnectionQuota, lab: () => PipelineHooks): AccessHooks {
  const clientTopicOfDelivery = new ClientTopicOfDelivery();
  return {
    authenticate(client, _username, password, done) {
      const connection = connectionOf(client);
      if (!connection || connection.sandbox === null || connection.refusal !== null) {
        return done(refusal(connection?.refusal ?? CONNACK.badUsernameOrPassword, 'bad sandbox user name'), false);
      }
      if (connection.clientIdLength === 0 && !client.clean) {
        return done(refusal(CONNACK.identifierRejected, 'a persistent session needs a client id'), false);
      }
      if (client.version === 3 && connection.clientIdLength > MQTT31_MAX_CLIENT_ID) {
        return done(refusal(CONNACK.identifierRejected, 'MQTT 3.1 allows client ids of 23 characters'), false);
      }
      // The pipeline lab's own consumers (a one-time token) are budgeted as labs per address, not as MQTT connections.
      const ownConnection = lab().ownConnection(client.id, password);
      // Anyone else with a lab client id would take a lab consumer's session over (§3.1.4) and disconnect it.
      if (!ownConnection && isLabClientId(client.id)) {
        return done(refusal(CONNACK.identifierRejected, `client ids starting with ${LAB_CLIENT_PREFIX} belong to the pipeline lab`), false);
      }
      if (!connection.release && !ownConnection) {
        const { release, refused } = quota.take(quotaKey(connection.session, connection.sandbox, connection.remoteAddress), connection.remoteAddress);
        if (refused) return done(refusal(CONNACK.serverUnavailable, `too many MQTT connections for this ${refused.scope}`), false);
        connection.release = release;
        client.conn.once('close', release);
      }
      done(null, true);
    },

    authorizePublish(client, packet, done) {
      const connection = connectionOf(client);
      // The server's own publishes (domain events) and wills restored after a restart have no client.
      if (!client) return done(null);
      if (!connection?.sandbox || isReservedBrokerTopic(connection.sandbox, packet.topic)) {
        return done(new Error(`topics starting with $ are reserved: ${packet.topic}`));
      }
      // Here the topic still names its sandbox: aedes rewrites the packet in place when it forwards it.
      lab().accepted(connection.sandbox, toClientTopic(connection.sandbox, packet.topic) ?? packet.topic, packet.payload as Buffer);
      done(null);
    },

    authorizeSubscribe(client, subscription, done) {
      const connection = connectionOf(client);
      if (!connection?.sandbox || isReservedBrokerTopic(connection.sandbox, subscription.topic)) return done(null, null);
      const known = new Set([...Object.keys((client as unknown as { subscriptions: object }).subscriptions), ...connection.granted]);
      if (!known.has(subscription.topic) && known.size >= limits.maxSubscriptionsPerClient) return done(null, null);
      connection.granted.add(subscription.topic);
      done(null, subscription);
    },

    authorizeForward(client, packet) {
      const sandbox = connectionOf(client)?.sandbox;
      if (!sandbox) return null;
      const topic = clientTopicOfDelivery.of(sandbox, packet.topic);
      if (topic === undefined) return null;
      const internal = packet.topic;
      // In place: aedes writes this very packet when it empties an offline session's queue.
      packet.topic = topic;
      if (packet.qos > 0) packet.qos = grantedQos(client, internal, packet.qos);
      return packet;
    },
  };
}

/** The broker's client id `<sandbox>/pipeline/…`: one of the pipeline lab's consumers. */
function isLabClientId(brokerClientId: string): boolean {
  return brokerClientId.slice(brokerClientId.indexOf('/') + 1).startsWith(LAB_CLIENT_PREFIX);
}

function refusal(returnCode: number, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/**
 * The QoS a message is delivered with: at most the highest QoS granted to the client's
 * subscriptions that match it (MQTT 3.1.1 §3.8.4). aedes looks only at a subscription with the
 * very topic name, and the client sees a topic without its sandbox.
 */
function grantedQos(client: Client, brokerTopic: string, qos: AedesPublishPacket['qos']): AedesPublishPacket['qos'] {
  const subscriptions = (client as unknown as { subscriptions: Record<string, { qos: number }> }).subscriptions;
  // A filter that is the topic itself and grants all of it (a fan-out's every subscriber): no
  // walk over the client's filters (aedes keeps them in a dictionary-mode object, slow to enumerate).
  const exact = subscriptions[brokerTopic];
  if (exact !== undefined && exact.qos >= qos) return qos;
  let granted = -1;
  for (const filter in subscriptions) {
    // A filter that is the topic itself (the common case) needs no level-by-level match.
    if (filter !== brokerTopic && !topicMatches(filter, brokerTopic)) continue;
    granted = Math.max(granted, subscriptions[filter]!.qos);
    // no other subscription can raise it past what the message has
    if (granted >= qos) return qos;
  }
  return (granted < 0 ? qos : Math.min(qos, granted)) as AedesPublishPacket['qos'];
}
