import * as http1 from './http1/decode-http1.ts';
import * as http2 from './http2/decode-http2.ts';
import * as websocket from './websocket/decode-websocket.ts';
import * as mqtt from './mqtt/decode-mqtt-connection.ts';
import * as graphqlHttp from './graphql/decode-graphql-http.ts';
import { graphqlWsLayer } from './graphql/decode-graphql-ws.ts';
import { engineIoLayer } from './engine-io/decode-engine-io.ts';
import { GRPC_PAYLOAD_LAYERS } from './grpc/grpc-layers.ts';
import { sseLayer } from './sse/decode-sse.ts';
import { jsonBodyLayer } from './json/json-body-layer.ts';
import { connectionLayers, payloadLayerSources } from './connection-decoders.ts';

// Every decoder layer at once, already loaded: what tests, tools and the server-side checks use
// (`decodeConnection` gives the whole tree on its first call). The browser's capture store
// imports connection-decoders.ts instead, which downloads each layer when a connection needs it.
connectionLayers.http1.provide(http1);
connectionLayers.http2.provide(http2);
connectionLayers.websocket.provide(websocket);
connectionLayers.mqtt.provide(mqtt);
connectionLayers.graphqlQueryString.provide(graphqlHttp);
payloadLayerSources.engineIo.provide([engineIoLayer]);
payloadLayerSources.grpc.provide(GRPC_PAYLOAD_LAYERS);
payloadLayerSources.sse.provide([sseLayer]);
payloadLayerSources.graphqlWs.provide([graphqlWsLayer]);
payloadLayerSources.graphqlHttp.provide([graphqlHttp.graphqlHttpLayer]);
payloadLayerSources.json.provide([jsonBodyLayer]);

export { decodeConnection, decoderFor, type ConnectionDecoder, type ConnectionStreams } from './connection-decoders.ts';
