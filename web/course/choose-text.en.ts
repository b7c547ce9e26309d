import type { ChooseText } from './choose-protocol.ts';

export const chooseTextEn: ChooseText = {
  questions: {
    clients: { label: 'Who are the clients?', options: { browsers: 'Browsers', mobile: 'Mobile apps', services: 'Other services' } },
    sender: {
      label: 'Who sends?',
      options: { client: 'The client asks, the server answers', server: 'The server pushes', both: 'Both sides, any time' },
    },
    frequency: { label: 'How often?', options: { rare: 'Now and then', often: 'Many messages a second' } },
    durable: {
      label: 'Must messages survive a consumer that is down?',
      options: { yes: 'Yes, none may be lost', no: 'No, whoever is connected gets them' },
    },
    audience: { label: 'Public or internal API?', options: { public: 'Public: strangers call it', internal: 'Internal: our own code' } },
  },
  reasons: {
    'queue-survives': 'A broker stores each message until the consumer comes back and acknowledges it; no direct call can do that.',
    'queue-edge':
      'A page reaches a broker only where the broker speaks a web protocol (MQTT over WebSocket, as in the MQTT lesson); a queue such as Kafka or RabbitMQ stays behind a server that forwards to the page (SSE or a WebSocket).',
    'queue-public': 'Outsiders rarely get a broker connection: give them an SSE feed with ids, so they resume where they stopped.',
    'request-response': 'Asking and answering is what HTTP methods and status codes were made for, and caches understand them.',
    'public-barrier': 'Strangers can call plain HTTP with JSON from any language, or with curl, without your code or your .proto.',
    'contract-binary': 'Between your own services a .proto contract, generated clients, deadlines and compact binary messages pay off.',
    'grpc-browser': 'If you want the .proto contract in the browser too, gRPC-Web or Connect carry it over ordinary HTTP.',
    gateway: 'Keep gRPC inside and put a REST gateway in front for the public: one contract, two faces.',
    'one-round-trip': 'A screen’s data in one request, only the fields it shows: fewer round trips on a slow mobile network.',
    'server-push': 'The server speaks first: an SSE stream is one long HTTP response that needs no new protocol.',
    'sse-replay': 'Event ids and Last-Event-ID let a client that reconnects get what it missed.',
    'rare-long-polling': 'For rare events long polling is acceptable too; its cost is a request and a response head per event.',
    'two-way-frames': 'A WebSocket carries messages both ways on one connection with a frame header of only a few bytes.',
    'frequent-cheap': 'Many small messages: a separate HTTP request for each repeats the headers every time, a WebSocket frame does not.',
    'server-stream': 'A gRPC server stream pushes typed messages over one HTTP/2 stream, with deadlines and cancellation.',
    'bidi-stream': 'A bidirectional gRPC stream lets both services send at any time inside one call.',
    'mqtt-mobile': 'MQTT keeps mobile clients cheap: a tiny header, a keep-alive you choose, and a session that resumes after the network drops.',
  },
};
