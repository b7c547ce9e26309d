import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { trafficOfCaptureFile } from '../contracts/exercise-checks/capture-file-traffic.ts';
import { type CaptureAsk, evaluateCaptureAsk } from '../contracts/exercise-checks/capture-question.ts';
import { latin1, type TcpStreams, tcpStreamsOf } from './capture-streams.test-helper.ts';

// Every question about a capture file (lesson.json `check.type: "capture"`) against its file: the
// right answer, found here from the file's bytes by hand (capture-streams.test-helper.ts reads the
// TCP streams without wire/), passes the evaluator that the page and the server judge with, and the
// plausible wrong answers a student gives fail: the other call's trailers, the QoS asked for, the
// request on the new connection…

const LESSONS_ROOT = dirname(fileURLToPath(import.meta.url));

interface Answers {
  right: string;
  wrong: string[];
}

/** Each question's answers from the capture's TCP streams; a new capture question needs its own reading here. */
const ANSWERS_FROM_BYTES: Record<string, (streams: TcpStreams[]) => Answers> = {
  '01-how-a-request-travels/reconnect-reason': (streams) => {
    // the responses of the first connection, cut by their Content-Length; the one saying "Connection: close"
    const [first, second] = streams;
    const heads = httpResponseHeads(first.out);
    const closing = heads.findIndex((head) => /^connection:\s*close\r$/im.test(head));
    expect(closing).toBeGreaterThanOrEqual(0);
    expect(latin1(second.in)).toMatch(/^GET \/bye\.txt HTTP\/1\.1\r\n/);
    return {
      right: `exchange ${first.id} ${closing}`,
      wrong: [`exchange ${second.id} 0`, `exchange ${first.id} ${closing === 0 ? 1 : 0}`, `exchange ${first.id} 2`],
    };
  },
  '04-grpc/find-trailers': ([connection]) => {
    // the stream whose request names "nobody"; its last HEADERS from the server, END_STREAM set
    const requests = http2Frames(connection.in.subarray(24));
    const failing = requests.find((frame) => frame.type === 0 && latin1(frame.payload).includes('nobody'))!.streamId;
    const responses = http2Frames(connection.out);
    const trailers = responses.filter((frame) => frame.type === 1 && (frame.flags & 1) === 1);
    const failed = trailers.find((frame) => frame.streamId === failing)!;
    const pick = (frame: { offset: number }, dir = 'out') => `message ${connection.id} h2-frame ${dir} ${frame.offset}`;
    const responseHeaders = responses.find((frame) => frame.type === 1 && frame.streamId === failing && (frame.flags & 1) === 0)!;
    const requestHeaders = requests.find((frame) => frame.type === 1 && frame.streamId === failing)!;
    return {
      right: pick(failed),
      wrong: [
        ...trailers.filter((frame) => frame !== failed).map((frame) => pick(frame)),
        pick(responseHeaders),
        pick({ offset: requestHeaders.offset + 24 }, 'in'),
      ],
    };
  },
  '06-websockets/server-close-code': ([connection]) => {
    // the server's frames after the 101's head; the close frame's first two payload bytes
    const frames = webSocketFrames(connection.out.subarray(latin1(connection.out).indexOf('\r\n\r\n') + 4));
    const close = frames.find((frame) => frame.opcode === 0x8)!;
    const code = (close.payload[0] << 8) | close.payload[1];
    return { right: String(code), wrong: ['1000', '1005', '1006', '1002', String(code + 1)].filter((wrong) => wrong !== String(code)) };
  },
  '12-mqtt/granted-qos': (streams) => {
    // the subscriber is the connection that sent SUBSCRIBE; the QoS bits of the PUBLISH it was sent
    const subscriber = streams.find((connection) => mqttPackets(connection.in).some((packet) => packet.type === 8))!;
    const publisher = streams.find((connection) => connection !== subscriber)!;
    const subscribe = mqttPackets(subscriber.in).find((packet) => packet.type === 8)!;
    const requested = subscribe.body[subscribe.body.length - 1] & 0x03;
    const published = (mqttPackets(publisher.in).find((packet) => packet.type === 3)!.first >> 1) & 0x03;
    const delivered = (mqttPackets(subscriber.out).find((packet) => packet.type === 3)!.first >> 1) & 0x03;
    // the answer cannot be guessed from what the clients asked for
    expect(delivered).not.toBe(requested);
    expect(delivered).not.toBe(published);
    return { right: String(delivered), wrong: [String(requested), String(published), '0', 'QoS 2'] };
  },
};

function httpResponseHeads(stream: Uint8Array): string[] {
  const text = latin1(stream);
  const heads: string[] = [];
  for (let at = 0; at < text.length; ) {
    const end = text.indexOf('\r\n\r\n', at);
    const head = text.slice(at, end + 2);
    heads.push(head);
    at = end + 4 + Number(/^content-length:\s*(\d+)/im.exec(head)?.[1] ?? 0);
  }
  return heads;
}

function http2Frames(stream: Uint8Array): { offset: number; type: number; flags: number; streamId: number; payload: Uint8Array }[] {
  const frames = [];
  for (let at = 0; at + 9 <= stream.length; ) {
    const length = (stream[at] << 16) | (stream[at + 1] << 8) | stream[at + 2];
    const streamId = ((stream[at + 5] & 0x7f) << 24) | (stream[at + 6] << 16) | (stream[at + 7] << 8) | stream[at + 8];
    frames.push({ offset: at, type: stream[at + 3], flags: stream[at + 4], streamId, payload: stream.subarray(at + 9, at + 9 + length) });
    at += 9 + length;
  }
  return frames;
}

/** Unmasked frames (the server's), with 7- and 16-bit lengths: all these captures hold. */
function webSocketFrames(stream: Uint8Array): { opcode: number; payload: Uint8Array }[] {
  const frames = [];
  for (let at = 0; at + 2 <= stream.length; ) {
    const short = stream[at + 1] & 0x7f;
    const [length, header] = short === 126 ? [(stream[at + 2] << 8) | stream[at + 3], 4] : [short, 2];
    frames.push({ opcode: stream[at] & 0x0f, payload: stream.subarray(at + header, at + header + length) });
    at += header + length;
  }
  return frames;
}

function mqttPackets(stream: Uint8Array): { type: number; first: number; body: Uint8Array }[] {
  const packets = [];
  for (let at = 0; at < stream.length; ) {
    let length = 0;
    let read = 1;
    for (let shift = 0; ; shift += 7, read++) {
      const byte = stream[at + read];
      length += (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
    }
    const start = at + read + 1;
    packets.push({ type: stream[at] >> 4, first: stream[at], body: stream.subarray(start, start + length) });
    at = start + length;
  }
  return packets;
}

interface CaptureExercise {
  name: string;
  file: string;
  ask: CaptureAsk;
}

const captureExercises: CaptureExercise[] = readdirSync(LESSONS_ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && /^\d{2}-[a-z0-9-]+$/.test(entry.name))
  .flatMap((entry) => {
    const lesson = JSON.parse(readFileSync(join(LESSONS_ROOT, entry.name, 'lesson.json'), 'utf8')) as {
      exercises: Record<string, { check: { type: string; file?: string; ask?: CaptureAsk } }>;
    };
    return Object.entries(lesson.exercises)
      .filter(([, exercise]) => exercise.check.type === 'capture')
      .map(([id, { check }]) => ({ name: `${entry.name}/${id}`, file: join(LESSONS_ROOT, entry.name, check.file!), ask: check.ask! }));
  });

describe('questions about capture files', () => {
  it('are asked in lessons 01, 04, 06 and 12', () => {
    const lessons = new Set(captureExercises.map((exercise) => exercise.name.slice(0, 2)));
    for (const lesson of ['01', '04', '06', '12']) expect(lessons).toContain(lesson);
  });

  it.each(captureExercises)('$name: the answer read from the bytes by hand passes, plausible wrong ones fail', ({ name, file, ask }) => {
    const read = ANSWERS_FROM_BYTES[name];
    expect(read, `${name} needs its reading in ANSWERS_FROM_BYTES`).toBeDefined();
    const bytes = new Uint8Array(readFileSync(file));
    const traffic = trafficOfCaptureFile(bytes);
    expect(traffic, `${file} reads as a capture`).not.toBeNull();
    const { right, wrong } = read(tcpStreamsOf(bytes));
    expect(evaluateCaptureAsk(ask, traffic!, right), `${name}: ${right}`).toMatchObject({ passed: true });
    expect(wrong.length).toBeGreaterThan(0);
    for (const answer of wrong) expect(evaluateCaptureAsk(ask, traffic!, answer).passed, `${name}: ${answer} must fail`).toBe(false);
    expect(evaluateCaptureAsk(ask, traffic!, undefined)).toMatchObject({ passed: false, miss: { kind: 'no-answer' } });
  });
});
