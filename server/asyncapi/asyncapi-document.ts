import { CHAT_VIAS, DOMAIN_EVENT_TYPES, type DomainEventType } from '../domain/index.ts';
import { chatTopic, domainEventTopic } from '../protocols/mqtt/topics.ts';
import { GROUP_NAME, NOTIFICATIONS_PREFIX, PARTITIONS } from '../protocols/mqtt/pipeline/limits.ts';
import { commentSchema, postSchema, userSchema } from '../protocols/rest/schemas.ts';
import { CHAT_EVENTS, ERROR_EVENT } from '../protocols/socket-io/namespaces.ts';
import { DEFAULT_SOCKET_IO_LIMITS, SOCKET_IO_PATH } from '../protocols/socket-io/limits.ts';
import { socketIoEventName } from '../protocols/socket-io/index.ts';
import { EVENTS_PATH, GAP_EVENT, SHUTDOWN_EVENT } from '../protocols/sse/limits.ts';
import { CHAT_PATH, CHAT_SUBPROTOCOL, MAX_CHAT_TEXT_CHARS } from '../protocols/websocket/limits.ts';
import { CHAT_QUERY } from '../protocols/websocket/endpoint-query.ts';

/**
 * The AsyncAPI 3.0 document of Wirelab's event-driven side, from the server's point of view (an
 * operation's `send` is the server sending): the domain events on MQTT, SSE, the
 * raw WebSocket chat and Socket.IO, and the chat messages of the last two (there and on MQTT). Built from the same
 * constants the protocols use (event types, topics, paths, event names, schemas), so adding an
 * event type or renaming a path changes the document too; tests/integration/asyncapi.test.ts
 * checks that what the server really sends matches it.
 */

type Json = Record<string, unknown>;

const ref = (path: string): Json => ({ $ref: path });

/** `user.created` → `UserCreated`: the key of the event's channels, operations and messages. */
function pascal(type: string): string {
  return type
    .split(/[.:/-]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** A REST schema as a component: no `$id` (components are referenced by path), plus the domain's `version`. */
function entitySchema(schema: { $id: string; required: readonly string[]; properties: Json } & Json, withVersion: boolean): Json {
  const { $id: _id, ...rest } = schema;
  if (!withVersion) return { ...rest, required: [...schema.required] };
  return {
    ...rest,
    required: [...schema.required, 'version'],
    properties: { ...schema.properties, version: { type: 'integer', minimum: 1, description: 'Bumped on every change (ETags derive from it)' } },
  };
}

/** What the data of each event type is: the entity after the change, `{ id }` for a deletion, the sandbox for a reset. */
function dataSchemaOf(type: DomainEventType): Json {
  switch (type) {
    case 'user.created':
    case 'user.updated':
      return ref('#/components/schemas/User');
    case 'post.created':
    case 'post.updated':
      return ref('#/components/schemas/Post');
    case 'comment.created':
      return ref('#/components/schemas/Comment');
    case 'user.deleted':
    case 'post.deleted':
      return ref('#/components/schemas/DeletedId');
    case 'sandbox.reset':
      return ref('#/components/schemas/ResetSandbox');
  }
}

const EVENT_ID = { type: 'integer', minimum: 1, description: 'Monotonic across the server process: a client resumes after the last id it saw' };
const AT = { type: 'string', format: 'date-time' };

/** The document's channels, operations and messages, which each part of it adds to. */
interface Parts {
  channels: Json;
  operations: Json;
  messages: Json;
}

function mqttDomainEvents({ channels, operations, messages }: Parts): void {
  // MQTT: one topic per event type, in the client's sandbox (the broker namespaces it).
  for (const type of DOMAIN_EVENT_TYPES) {
    const key = `mqtt${pascal(type)}`;
    messages[key] = {
      name: type,
      title: `${type} on MQTT`,
      contentType: 'application/json',
      payload: {
        type: 'object',
        required: ['id', 'type', 'sandboxId', 'at', 'data'],
        properties: {
          id: EVENT_ID,
          type: { const: type },
          sandboxId: { type: 'string', description: 'the sandbox by its public name (room.<hash> for a browser session: never its id)' },
          at: AT,
          data: dataSchemaOf(type),
        },
      },
    };
    channels[key] = {
      address: domainEventTopic(type),
      title: `${type} (MQTT topic)`,
      description: `Published (QoS 1, not retained) on every ${type} in the subscriber's sandbox, whichever protocol made the change. The topic is the client's view: the broker keeps each sandbox's topics apart.`,
      servers: [ref('#/servers/mqtt'), ref('#/servers/mqttOverWebSocket')],
      messages: { [pascal(type)]: ref(`#/components/messages/${key}`) },
    };
    operations[`send${pascal(type)}OverMqtt`] = {
      action: 'send',
      channel: ref(`#/channels/${key}`),
      bindings: { mqtt: { qos: 1, retain: false, bindingVersion: '0.2.0' } },
    };
  }
}

function mqttChat({ channels, operations, messages }: Parts): void {
  // MQTT: the chat messages of the WebSocket chat and of Socket.IO, one topic per chat and room.
  messages.mqttChatMessage = {
    name: 'chat.message',
    title: 'A chat message on MQTT',
    contentType: 'application/json',
    payload: {
      type: 'object',
      required: ['sandboxId', 'room', 'name', 'text', 'at', 'via'],
      properties: {
        sandboxId: { type: 'string', description: 'the sandbox by its public name (room.<hash> for a browser session: never its id)' },
        room: {
          type: 'string',
          description: 'the room as the chat names it (the WebSocket chat has one room per sandbox, named by its public name: room.<hash> for a session)',
        },
        name: { type: 'string', description: 'the sender' },
        text: { type: 'string' },
        at: AT,
        via: { enum: [...CHAT_VIAS] },
      },
    },
  };
  channels.mqttChat = {
    address: chatTopic('{via}', '{room}'),
    title: 'Chat messages (MQTT topic)',
    description:
      "Published (QoS 1, not retained) for every message the WebSocket chat or Socket.IO's chat:message accepted in the subscriber's sandbox; subscribe to chat/# for all of them. The chats' clients see nothing different.",
    parameters: {
      via: { enum: [...CHAT_VIAS], description: 'the chat that carried it' },
      room: {
        description: `the room as one topic level: the WebSocket chat's room is the sandbox id; a Socket.IO room keeps its name, with %, +, #, / and control characters percent-encoded (UTF-8), so a name can add no level or wildcard`,
        examples: ['lobby', 'лобби', 'shared'],
      },
    },
    servers: [ref('#/servers/mqtt'), ref('#/servers/mqttOverWebSocket')],
    messages: { ChatMessage: ref('#/components/messages/mqttChatMessage') },
  };
  operations.sendChatOverMqtt = {
    action: 'send',
    channel: ref('#/channels/mqttChat'),
    bindings: { mqtt: { qos: 1, retain: false, bindingVersion: '0.2.0' } },
  };
}

function pipelineLab({ channels, operations, messages }: Parts): void {
  // The pipeline lab of lesson 13: orders published by the page, taken by the sandbox's consumers,
  // each of which publishes a notification per order it finished.
  const partitions = Array.from({ length: PARTITIONS }, (_, i) => String(i));
  messages.pipelineOrder = {
    name: 'order',
    title: 'An order (any payload; the lab page sends {"order": n, "page": "…"})',
    contentType: 'application/json',
    payload: {},
  };
  messages.pipelineNotification = {
    name: 'notification',
    title: 'A consumer finished an order',
    contentType: 'application/json',
    payload: {
      type: 'object',
      required: ['order', 'by', 'via', 'whileDown', 'redelivered', 'dup', 'retained', 'queuedMs', 'backlog', 'handledBy'],
      properties: {
        order: {},
        by: { type: 'string', description: 'the consumer that finished it' },
        via: { enum: ['broker', 'rest'] },
        topic: { type: 'string' },
        group: { type: 'string' },
        partition: { type: 'integer', minimum: 0, maximum: PARTITIONS - 1 },
        whileDown: { type: 'boolean', description: 'published while this consumer (or its partition) was down' },
        redelivered: { type: 'boolean', description: 'the broker sent it again: begun before and never acknowledged' },
        dup: { type: 'boolean', description: 'the DUP flag of the delivery as the broker set it' },
        retained: { type: 'boolean', description: 'a retained message, delivered to a new subscription' },
        queuedMs: { type: ['number', 'null'] },
        backlog: { type: 'integer', minimum: 0, description: 'messages still waiting for this consumer after this one' },
        handledBy: { type: 'array', items: { type: 'string' }, description: 'every consumer that finished this order so far: two or more is fan-out' },
        members: { type: 'integer', description: 'for a group member: the running members of the group' },
      },
    },
  };
  channels.pipelineOrders = {
    address: 'orders/{partition}',
    title: 'Orders of the pipeline lab (MQTT topic)',
    description: `Publish at QoS 1. Every running subscriber of orders/# in the sandbox gets each order (fan-out); the consumer group "${GROUP_NAME}" shares the partitions ${partitions.join(', ')} (each owned by one member, competing consumers); a retained order reaches late subscribers.`,
    parameters: {
      partition: {
        description: `${partitions.join(', ')}: the group's partitions; any other name (the lab page uses "latest" for its retained order) reaches the subscribers only`,
        examples: [...partitions, 'latest'],
      },
    },
    servers: [ref('#/servers/mqtt'), ref('#/servers/mqttOverWebSocket')],
    messages: { Order: ref('#/components/messages/pipelineOrder') },
  };
  channels.pipelineNotifications = {
    address: `${NOTIFICATIONS_PREFIX}{consumer}`,
    title: 'Notifications of the pipeline lab (MQTT topic)',
    description: 'One per order a lab consumer finished, on the topic of that consumer.',
    parameters: { consumer: { description: "the consumer's name: notifier, a subscriber or a member of the group" } },
    servers: [ref('#/servers/mqtt'), ref('#/servers/mqttOverWebSocket')],
    messages: { Notification: ref('#/components/messages/pipelineNotification') },
  };
  operations.receivePipelineOrders = { action: 'receive', channel: ref('#/channels/pipelineOrders'), bindings: { mqtt: { qos: 1, bindingVersion: '0.2.0' } } };
  operations.sendPipelineNotifications = {
    action: 'send',
    channel: ref('#/channels/pipelineNotifications'),
    bindings: { mqtt: { qos: 1, retain: false, bindingVersion: '0.2.0' } },
  };
}

function serverSentEvents({ channels, operations, messages }: Parts): void {
  // SSE: one stream, each domain event a named event (`event:` = type, `id:` = event id, `data:` = entity).
  const sseMessages: Json = {};
  for (const type of DOMAIN_EVENT_TYPES) {
    const key = `sse${pascal(type)}`;
    messages[key] = { name: type, title: `${type} on the event stream`, contentType: 'application/json', payload: dataSchemaOf(type) };
    sseMessages[pascal(type)] = ref(`#/components/messages/${key}`);
  }
  messages.sseGap = {
    name: GAP_EVENT,
    title: 'Events lost before a resume',
    summary: 'Sent first on a resumed stream when events after Last-Event-ID are no longer kept.',
    contentType: 'application/json',
    payload: { type: 'object', additionalProperties: true },
  };
  messages.sseShutdown = {
    name: SHUTDOWN_EVENT,
    title: 'The server is going away',
    summary: 'The last event before a graceful shutdown; the stream then asks for a longer retry.',
    contentType: 'application/json',
    payload: { type: 'object', additionalProperties: true },
  };
  sseMessages.StreamGap = ref('#/components/messages/sseGap');
  sseMessages.ServerShutdown = ref('#/components/messages/sseShutdown');
  channels.serverSentEvents = {
    address: EVENTS_PATH,
    title: 'Server-Sent Events (text/event-stream)',
    description:
      'GET with Accept: text/event-stream. Every domain event of the sandbox as a named event whose id is the event id; reconnect with Last-Event-ID to resume.',
    servers: [ref('#/servers/http')],
    messages: sseMessages,
  };
  operations.sendServerSentEvents = { action: 'send', channel: ref('#/channels/serverSentEvents') };
}

function webSocketChat({ channels, operations, messages }: Parts): void {
  // The raw WebSocket chat (subprotocol wirelab.chat.v1): text frames.
  messages.chatText = {
    name: 'text',
    title: 'A chat line (client → server)',
    contentType: 'text/plain',
    payload: { type: 'string', minLength: 1, maxLength: MAX_CHAT_TEXT_CHARS },
  };
  chatServerMessages(messages);
  channels.webSocketChat = {
    address: CHAT_PATH,
    title: `WebSocket chat (subprotocol ${CHAT_SUBPROTOCOL})`,
    description: `Open with Sec-WebSocket-Protocol: ${CHAT_SUBPROTOCOL}. One room per sandbox; text frames only (binary closes with 1003).`,
    servers: [ref('#/servers/webSocket')],
    messages: {
      text: ref('#/components/messages/chatText'),
      welcome: ref('#/components/messages/chatWelcome'),
      joined: ref('#/components/messages/chatJoined'),
      left: ref('#/components/messages/chatLeft'),
      message: ref('#/components/messages/chatMessage'),
      error: ref('#/components/messages/chatError'),
      event: ref('#/components/messages/chatDomainEvent'),
    },
    bindings: {
      ws: {
        method: 'GET',
        query: { type: 'object', additionalProperties: false, properties: Object.fromEntries(CHAT_QUERY.map((name) => [name, { type: 'string' }])) },
        bindingVersion: '0.1.0',
      },
    },
  };
  operations.receiveChatLine = { action: 'receive', channel: ref('#/channels/webSocketChat'), messages: [ref('#/channels/webSocketChat/messages/text')] };
  operations.sendChat = {
    action: 'send',
    channel: ref('#/channels/webSocketChat'),
    messages: ['welcome', 'joined', 'left', 'message', 'error', 'event'].map((name) => ref(`#/channels/webSocketChat/messages/${name}`)),
  };
}

/** What the raw WebSocket chat sends: JSON text frames, one `type` each. */
function chatServerMessages(messages: Parts['messages']): void {
  messages.chatWelcome = {
    name: 'welcome',
    contentType: 'application/json',
    payload: {
      type: 'object',
      required: ['type', 'protocol', 'room', 'you', 'members'],
      properties: {
        type: { const: 'welcome' },
        protocol: { const: CHAT_SUBPROTOCOL },
        room: { type: 'string' },
        you: { type: 'string' },
        members: { type: 'array', items: { type: 'string' } },
      },
    },
  };
  messages.chatJoined = {
    name: 'joined',
    contentType: 'application/json',
    payload: {
      type: 'object',
      required: ['type', 'name', 'members'],
      properties: { type: { const: 'joined' }, name: { type: 'string' }, members: { type: 'integer' } },
    },
  };
  messages.chatLeft = {
    name: 'left',
    contentType: 'application/json',
    payload: {
      type: 'object',
      required: ['type', 'name', 'members'],
      properties: { type: { const: 'left' }, name: { type: 'string' }, members: { type: 'integer' } },
    },
  };
  messages.chatMessage = {
    name: 'message',
    contentType: 'application/json',
    payload: {
      type: 'object',
      required: ['type', 'from', 'text', 'at'],
      properties: { type: { const: 'message' }, from: { type: 'string' }, text: { type: 'string' }, at: AT },
    },
  };
  messages.chatError = {
    name: 'error',
    contentType: 'application/json',
    payload: {
      type: 'object',
      required: ['type', 'code', 'message'],
      properties: { type: { const: 'error' }, code: { type: 'string', enum: ['rate-limited', 'bad-message'] }, message: ref('#/components/schemas/Bilingual') },
    },
  };
  messages.chatDomainEvent = {
    name: 'event',
    title: 'A domain event of the sandbox',
    contentType: 'application/json',
    payload: {
      type: 'object',
      required: ['type', 'id', 'event', 'at', 'data'],
      properties: {
        type: { const: 'event' },
        id: EVENT_ID,
        event: { type: 'string', enum: [...DOMAIN_EVENT_TYPES] },
        at: AT,
        data: ref('#/components/schemas/EventData'),
      },
    },
  };
}

function socketIo({ channels, operations, messages }: Parts): void {
  // Socket.IO, namespace "/": the event name is the message name.
  const room = { type: 'string', minLength: 1, maxLength: DEFAULT_SOCKET_IO_LIMITS.maxRoomNameLength };
  const socketIoClientEvents: Record<(typeof CHAT_EVENTS)[number], Json> = {
    'chat:join': room,
    'chat:leave': room,
    'chat:message': {
      type: 'object',
      required: ['room', 'text'],
      properties: { room, text: { type: 'string', minLength: 1, maxLength: DEFAULT_SOCKET_IO_LIMITS.maxMessageLength } },
    },
    'chat:typing': { type: 'object', required: ['room', 'typing'], properties: { room, typing: { type: 'boolean' } } },
  };
  const socketIoMessages: Json = {};
  const fromClients: Json[] = [];
  const toClients: Json[] = [];
  for (const [event, payload] of Object.entries(socketIoClientEvents)) {
    const key = `socketIo${pascal(event)}Sent`;
    messages[key] = { name: event, title: `${event} (client → server)`, contentType: 'application/json', payload };
    socketIoMessages[key] = ref(`#/components/messages/${key}`);
    fromClients.push(ref(`#/channels/socketIoChat/messages/${key}`));
  }
  const socketIoServerEvents: Record<string, Json> = {
    'chat:message': {
      type: 'object',
      required: ['room', 'name', 'text', 'at'],
      properties: { room: { type: 'string' }, name: { type: 'string' }, text: { type: 'string' }, at: AT },
    },
    'chat:typing': {
      type: 'object',
      required: ['room', 'name', 'typing'],
      properties: { room: { type: 'string' }, name: { type: 'string' }, typing: { type: 'boolean' } },
    },
    'chat:presence': {
      type: 'object',
      required: ['room', 'name', 'action', 'members'],
      properties: { room: { type: 'string' }, name: { type: 'string' }, action: { enum: ['join', 'leave'] }, members: { type: 'integer' } },
    },
    [ERROR_EVENT]: {
      type: 'object',
      required: ['code', 'message', 'localized'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, localized: ref('#/components/schemas/Bilingual'), event: { type: 'string' } },
    },
  };
  for (const type of DOMAIN_EVENT_TYPES) {
    socketIoServerEvents[socketIoEventName(type)] = {
      type: 'object',
      required: ['id', 'type', 'at', 'data'],
      properties: { id: EVENT_ID, type: { const: type }, at: AT, data: dataSchemaOf(type) },
    };
  }
  for (const [event, payload] of Object.entries(socketIoServerEvents)) {
    const key = `socketIo${pascal(event)}Received`;
    messages[key] = { name: event, title: `${event} (server → client)`, contentType: 'application/json', payload };
    socketIoMessages[key] = ref(`#/components/messages/${key}`);
    toClients.push(ref(`#/channels/socketIoChat/messages/${key}`));
  }
  channels.socketIoChat = {
    address: SOCKET_IO_PATH,
    title: 'Socket.IO, namespace "/"',
    description:
      'Connect with auth {"name": "…"}. Each message name is a Socket.IO event name; its payload is the first argument. Every socket is in its sandbox\'s room, which receives the domain events.',
    servers: [ref('#/servers/webSocket')],
    messages: socketIoMessages,
  };
  operations.receiveOverSocketIo = { action: 'receive', channel: ref('#/channels/socketIoChat'), messages: fromClients };
  operations.sendOverSocketIo = { action: 'send', channel: ref('#/channels/socketIoChat'), messages: toClients };
}

export function asyncApiDocument(host: string): Json {
  const parts: Parts = { channels: {}, operations: {}, messages: {} };
  for (const add of [mqttDomainEvents, mqttChat, pipelineLab, serverSentEvents, webSocketChat, socketIo]) add(parts);
  const { channels, operations, messages } = parts;

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Wirelab: events and messages',
      version: '1.0.0',
      description:
        'What Wirelab sends without being asked: every change of the shared demo domain (users, posts, comments) as an event on MQTT, Server-Sent Events, the WebSocket chat and Socket.IO, and the chat messages of the last two (on MQTT too). The operations are the server’s own: `send` is what Wirelab sends to its clients, `receive` what it takes from them. The request/response side is described by the OpenAPI document at /api/openapi.json.',
    },
    defaultContentType: 'application/json',
    servers: {
      mqtt: {
        host,
        protocol: 'mqtt',
        protocolVersion: '3.1.1',
        description: 'MQTT over TCP on the same port as everything else (the server recognises a CONNECT packet)',
      },
      mqttOverWebSocket: { host, pathname: '/mqtt', protocol: 'ws', description: 'MQTT over WebSocket (subprotocol mqtt), as browsers connect' },
      http: { host, protocol: 'http', description: 'HTTP/1.1 and h2c' },
      webSocket: { host, protocol: 'ws', description: 'WebSocket upgrades over HTTP/1.1' },
    },
    channels,
    operations,
    components: {
      schemas: {
        User: entitySchema(userSchema, true),
        Post: entitySchema(postSchema, true),
        Comment: entitySchema(commentSchema, false),
        DeletedId: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
        ResetSandbox: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', description: 'the sandbox that was reset, by its public name (room.<hash> for a session)' } },
        },
        EventData: {
          anyOf: [
            ref('#/components/schemas/User'),
            ref('#/components/schemas/Post'),
            ref('#/components/schemas/Comment'),
            ref('#/components/schemas/DeletedId'),
            ref('#/components/schemas/ResetSandbox'),
          ],
        },
        Bilingual: { type: 'object', required: ['en', 'ru'], properties: { en: { type: 'string' }, ru: { type: 'string' } } },
      },
      messages,
    },
  };
}
