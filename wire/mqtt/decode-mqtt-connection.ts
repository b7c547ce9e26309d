import { collectMarkedMessages, messageMarkOf, numberMessages } from '../message-marks.ts';
import { ru } from '../node-text.ts';
import { chunkedOffsets, contiguousOffsets } from '../payload-layers.ts';
import type { ByteStream } from '../stream-assembler.ts';
import type { CapturedConnection, DecodedConnection, WireMessage, WireNode } from '../types.ts';
import type { WebSocketConnectionResult } from '../websocket/decode-websocket.ts';
import { decodeMqttPackets } from './decode-mqtt.ts';

// The WebSocket subprotocols of MQTT (3.1.1 §6; `mqttv3.1` is 3.1's), kept where the lazy layer catalog reads them too.
export { isMqttSubprotocol } from '../payload-kinds.ts';

/**
 * MQTT over WebSocket: the binary messages of each direction form one byte stream, read packet
 * by packet. Packets need not line up with messages (MQTT 3.1.1 §6): mqtt.js in Node sends a
 * PUBLISH as four messages (header, length, topic, payload), so a decoder per message could not
 * read it.
 */
export function decodeMqttOverWebSocket(conn: string, websocket: WebSocketConnectionResult, streams: { in: ByteStream; out: ByteStream }): WireMessage[] {
  const messages: WireMessage[] = [];
  for (const [result, dir] of [
    [websocket.inbound, 'in'],
    [websocket.outbound, 'out'],
  ] as const) {
    const frames = result.messages.filter((message) => message.type === 'binary').flatMap((message) => message.frames);
    if (frames.length === 0) continue;
    const payload = new Uint8Array(frames.reduce((total, frame) => total + frame.payload.length, 0));
    let at = 0;
    for (const frame of frames) {
      payload.set(frame.payload, at);
      at += frame.payload.length;
    }
    const offsets = chunkedOffsets(frames.map((frame) => frame.payloadRange));
    for (const node of decodeMqttPackets(payload, offsets, streams[dir].ended).nodes) {
      messages.push(...collectMarkedMessages(node, conn, dir, streams[dir]));
    }
  }
  return messages;
}

/**
 * MQTT over plain TCP (the tap's transport `mqtt`): both directions read packet by packet. A
 * packet carries no marker to find the next one after a hole in the recording, so the bytes
 * after a gap stay a `skipped` note instead of a guess.
 */
export function decodeMqttConnection(connection: CapturedConnection, streams: { in: ByteStream; out: ByteStream }): DecodedConnection {
  const messages: WireMessage[] = [];
  const notes: DecodedConnection['notes'] = [];
  for (const dir of ['in', 'out'] as const) {
    const stream = streams[dir];
    stream.segments.forEach((segment, i) => {
      const last = i === stream.segments.length - 1;
      if (segment.gapBefore || segment.start > 0) {
        const skipped: WireNode = {
          kind: 'skipped',
          label: 'Bytes after a gap in the recording: an MQTT packet boundary cannot be found',
          value: `${segment.bytes.length} bytes`,
          range: { start: segment.start, end: segment.start + segment.bytes.length },
          error: 'after-gap',
        };
        notes.push({ dir, node: ru(skipped, 'Байты после пропуска в записи: границу пакета MQTT не найти', `${segment.bytes.length} байт`) });
        return;
      }
      // Only the last segment of an open connection may still grow.
      const complete = !last || stream.ended;
      for (const node of decodeMqttPackets(segment.bytes, contiguousOffsets(segment.start), complete).nodes) {
        if (messageMarkOf(node)) messages.push(...collectMarkedMessages(node, connection.id, dir, stream));
        else notes.push({ dir, node });
      }
    });
  }
  return { connection, exchanges: [], notes, messages: numberMessages(messages) };
}
