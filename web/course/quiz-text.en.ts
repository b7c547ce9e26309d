import type { QuizText } from './quiz-data.ts';

export const quizTextEn: QuizText = {
  'rest-vs-graphql': {
    prompt: 'What is the real difference between REST and GraphQL?',
    options: {
      fields: 'GraphQL lets the client choose the fields, at one endpoint; REST answers each resource URL with a fixed shape.',
      binary: 'GraphQL is faster because its responses are binary.',
      http2: 'REST needs HTTP/1.1, GraphQL needs HTTP/2.',
      'browser-cache': 'Browsers cache GraphQL responses the same way they cache REST responses.',
    },
    answer:
      'GraphQL moves the choice of fields to the client and sends everything to one endpoint; both are JSON over HTTP, and both run over HTTP/1.1 or HTTP/2.',
  },
  'graphql-caching': {
    prompt: 'Why do HTTP caches help a REST API but not a GraphQL API by default?',
    options: {
      'one-post-url': 'GraphQL queries are usually POSTs to one URL, and caches key on the method and the URL.',
      'no-etag-possible': 'A GraphQL server cannot send an ETag.',
      'json-uncacheable': 'JSON responses cannot be cached.',
      'websocket-only': 'GraphQL runs only over WebSockets.',
    },
    answer:
      'A cache stores GET responses by URL. A GraphQL POST to /graphql has the same URL for every query, so the cache has nothing to key on; GET queries or persisted queries bring caching back.',
  },
  'websocket-when': {
    prompt: 'When is a WebSocket a better fit than separate HTTP requests? Choose every one that fits.',
    options: {
      chat: 'A chat where both sides write at any time',
      game: 'A browser game that sends moves many times a second',
      catalogue: 'Reading a product catalogue that changes once a day',
      'public-crud': 'A public CRUD API for partners',
      collaboration: 'A document edited by several people at once',
    },
    answer:
      'A WebSocket pays off when both sides send often and with low latency: chat, games, live collaboration. Reading rarely changing data and public CRUD are simpler and cacheable over plain HTTP.',
  },
  'sse-vs-long-polling': {
    prompt: 'What does long polling pay for every event that SSE does not?',
    options: {
      'request-per-event': 'A new request and a full response head for each event',
      'tcp-per-event': 'A new TCP handshake for each event, always',
      upgrade: 'A WebSocket upgrade for each event',
      nothing: 'Nothing: on the wire they are the same',
    },
    answer:
      'In long polling the HTTP response ends with the event it carried, so the client sends a new request with all its headers and the server answers with a new head. SSE pays for its headers once and then sends only the event lines. Keep-alive usually saves the TCP handshake.',
  },
  'find-masked-frame': {
    prompt: 'Connect to the echo endpoint and send a message. Then select, in the inspector, a frame the browser masked, and press “This one”.',
    answer: 'Every frame from the client to the server is masked (the MASK bit and a 4-byte key); frames from the server are not.',
  },
  'find-etag': {
    prompt:
      'Run the request, then select in the inspector the exchange whose response carries the version tag a client would send back in If-None-Match, and press “This one”.',
    answer: 'The ETag header of the 200 response tags the version; a later GET with If-None-Match and that value gets a 304 with no body.',
  },
  'social-platform': {
    prompt: 'Design the API of a social network. Which protocols would you use for which parts, and why?',
    answer:
      'REST for the core resources (users, posts, comments): cacheable, any client can call it. GraphQL, or a backend-for-frontend, where mobile and web screens need different shapes of the same data in one round trip. A WebSocket for chat and typing indicators, both ways. SSE for the feed and notifications, one way with replay after a reconnect. Behind the API, a message queue so that fan-out, e-mails and search indexing survive a slow or down consumer, and gRPC between internal services.',
  },
  'notification-path': {
    prompt: 'Put the path of a real-time notification in order, from the user who causes it to the one who sees it.',
    items: {
      action: 'A user does something (comments on a post)',
      api: 'The API stores it and answers the user',
      queue: 'An event goes to the message queue',
      notifier: 'The notification service reads the event and finds who must be told',
      push: 'It pushes to the connected clients over SSE or a WebSocket',
    },
    answer:
      'The API answers at once and publishes an event; the queue keeps the event even if the notification service is down; the service then pushes to whoever is connected and keeps the rest for later.',
  },
  notifications: {
    prompt: 'How would you build real-time notifications for a web application?',
    answer:
      'The API publishes events to a queue; a notification service consumes them, stores each notification for its user and pushes it to connected tabs over SSE (one way, reconnection and Last-Event-ID built in) or a WebSocket when the page also sends. Offline users get it from the store on their next visit, or through platform push when the app is closed. Add presence tracking, per-user preferences and rate limits.',
  },
  'offline-user': {
    prompt: 'A notification is produced while its consumer is down. What keeps it until the consumer returns?',
    options: {
      broker: 'A message broker or queue that stores it until it is acknowledged',
      websocket: 'The WebSocket connection',
      'browser-cache': 'The browser’s HTTP cache',
      http2: 'HTTP/2 multiplexing',
    },
    answer:
      'Only something that stores messages survives a consumer that is down: a broker (MQTT with a persistent session, Kafka, RabbitMQ). A WebSocket or a stream ends with its connection.',
  },
  'socketio-upgrade': {
    prompt: 'Put the start of a Socket.IO connection in order, as the inspector shows it.',
    items: {
      open: 'HTTP polling: the server’s Engine.IO open packet (0) with the sid',
      connect: 'The Socket.IO CONNECT to the namespace (40) over polling',
      probe: 'A WebSocket opens and the client sends 2probe',
      'probe-answer': 'The server answers 3probe',
      upgrade: 'The client sends 5 (upgrade), and polling stops',
    },
    answer:
      'Socket.IO connects over polling first, so the user has a working connection at once, then tests a WebSocket with 2probe/3probe and switches with 5.',
  },
  'find-grpc-web-trailers': {
    prompt: 'Call GetUser over gRPC-Web, then select in the inspector where the call’s status (grpc-status) travels, and press “This one”.',
    answer:
      'gRPC-Web cannot rely on HTTP trailers in the browser, so it sends them inside the response body: a last frame with flag 0x80 carrying grpc-status and grpc-message.',
  },
  'multiplayer-game': {
    prompt: 'Design the communication of a real-time multiplayer game.',
    answer:
      'Game state and moves over a WebSocket (both ways, low latency, binary frames with a 2–14 byte header); login, profiles and leaderboards over REST. Small binary messages with sequence numbers, deltas instead of full state, several updates batched per tick. Client-side prediction and server reconciliation hide latency. An authoritative server, rooms spread over servers with a pub/sub bus between them. Native clients may use UDP (or WebRTC data channels in the browser) for state where a lost packet is better than a late one.',
  },
  'game-moves': {
    prompt: 'A browser game sends and receives moves thirty times a second. What fits best?',
    options: {
      websocket: 'A WebSocket',
      rest: 'A REST request per move',
      sse: 'Server-Sent Events',
      'graphql-query': 'A GraphQL query per move',
    },
    answer:
      'Both directions, often, small messages: a WebSocket frame costs a few bytes of header, while each HTTP request repeats a full head. SSE cannot carry the player’s moves.',
  },
  'versioning-microservices': {
    prompt: 'How would you handle API versioning in a microservices architecture?',
    answer:
      'Avoid breaking changes: add fields, never reuse or renumber them (reserved in protobuf), make new fields optional. When a break is unavoidable, publish a new version (/v2, a media type, or a new protobuf package wirelab.users.v2), run both side by side, route by version at the gateway, announce deprecation and a sunset date, and watch who still calls the old one. Contract tests in CI catch breaking changes before deployment.',
  },
  'remove-field': {
    prompt: 'A protobuf message loses a field. What keeps old clients and stored data safe?',
    options: {
      reserve: 'Mark its number and name as reserved, so nobody reuses them',
      renumber: 'Renumber the remaining fields to close the gap',
      reuse: 'Give its number to the next new field',
      nothing: 'Nothing is needed: protobuf ignores removed fields',
    },
    answer: 'The wire carries field numbers, not names. Reusing a number makes old data decode as the wrong field; `reserved` makes the compiler refuse that.',
  },
};
