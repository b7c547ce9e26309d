// The questions lessons ask about capture files (lessons/<nn>-<slug>/captures/, recorded by
// tests/fixture-recorders/record-lesson-captures.sh from curl, python3-grpcio, python3-websockets and
// mosquitto clients): the answer each question expects — the frame or exchange a pick must name,
// the value a typed answer must equal, as Wirelab's decoders read them — is what Wireshark's tshark
// reads from the same file.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { trafficOfCaptureFile } from '../../contracts/exercise-checks/capture-file-traffic.ts';
import { type CaptureAsk, type CaptureTraffic, evaluateCaptureAsk } from '../../contracts/exercise-checks/capture-question.ts';
import { matchesExchange, matchesMessage } from '../../contracts/exercise-checks/evaluate-check.ts';

const run = promisify(execFile);
const TSHARK = '/usr/bin/tshark';
const LESSONS = join(import.meta.dirname, '../../lessons');

beforeAll(() => {
  if (!existsSync(TSHARK)) throw new Error(`${TSHARK} is missing: install the Debian package "tshark".`);
});

/** tshark's fields, one row per packet that passes `filter`; each field's occurrences split (several frames in one packet). */
async function tshark(file: string, decodeAs: string[], filter: string, fields: string[]): Promise<string[][][]> {
  const { stdout } = await run(TSHARK, [
    '-r',
    file,
    ...decodeAs.flatMap((rule) => ['-d', rule]),
    '-Y',
    filter,
    '-T',
    'fields',
    '-E',
    'occurrence=a',
    '-E',
    'aggregator=;',
    ...fields.flatMap((field) => ['-e', field]),
  ]);
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t').map((value) => (value === '' ? [] : value.split(';'))));
}

/** What the question expects, as Wirelab reads the file: a pick's one message or exchange, or the value to type. */
function expectedAnswer(ask: CaptureAsk, traffic: CaptureTraffic): string {
  if (ask.type === 'pick-message') {
    const [message, ...more] = traffic.messages.filter((candidate) => matchesMessage(ask.match, candidate));
    expect(more).toEqual([]);
    return `${message.conn} ${message.dir} ${message.range.start}`;
  }
  if (ask.type === 'pick-exchange') {
    const [exchange, ...more] = traffic.exchanges.filter((candidate) => matchesExchange(ask.match, candidate));
    expect(more).toEqual([]);
    return `${exchange.conn} ${exchange.index}`;
  }
  if (ask.type === 'message-answer') {
    const value = traffic.messages.findLast((message) => matchesMessage(ask.match, message) && message.fields?.[ask.field] !== undefined)?.fields?.[ask.field];
    expect(value).toBeDefined();
    expect(evaluateCaptureAsk(ask, traffic, String(value)).passed).toBe(true);
    return String(value);
  }
  throw new Error(`no reading of an "${ask.type}" ask yet: add it here`);
}

/** tshark numbers TCP connections from 0 in the order they appear; the inspector from c1. */
const conn = (tcpStream: string) => `c${Number(tcpStream) + 1}`;

/** Each question's answer as tshark reads the file: in the same words as expectedAnswer's. */
const TSHARK_ANSWERS: Record<string, (file: string) => Promise<string>> = {
  '01-how-a-request-travels/reconnect-reason': async (file) => {
    const messages = await tshark(file, ['tcp.port==18091,http'], 'http', ['tcp.stream', 'http.response.code', 'http.connection']);
    const responses = messages.filter(([, code]) => code.length > 0);
    const closing = responses.filter(([, , connection]) => connection[0] === 'close');
    expect(closing).toHaveLength(1);
    const stream = closing[0][0][0];
    const index = responses.slice(0, responses.indexOf(closing[0])).filter(([earlier]) => earlier[0] === stream).length;
    // the request after it went on another connection
    const requests = messages.filter(([, code]) => code.length === 0);
    expect(requests.at(-1)![0][0]).not.toBe(stream);
    return `${conn(stream)} ${index}`;
  },
  '04-grpc/find-trailers': async (file) => {
    // server packets; each frame's offset in the server's stream from the packet's sequence number and the frames before it
    const packets = await tshark(file, ['tcp.port==18093,http2'], 'tcp.srcport==18093 && http2', [
      'tcp.stream',
      'tcp.seq',
      'http2.type',
      'http2.length',
      'http2.flags',
      'http2.header.name',
      'http2.header.value',
    ]);
    const found = packets.flatMap(([[stream], [seq], types, lengths, flags, names, values]) => {
      if (values[names.indexOf('grpc-status')] !== '5') return [];
      let offset = Number(seq) - 1;
      const trailers = types.flatMap((type, frame) => {
        const at = offset;
        offset += 9 + Number(lengths[frame]);
        return type === '1' && (Number(flags[frame]) & 1) === 1 ? [`${conn(stream)} out ${at}`] : [];
      });
      expect(trailers, 'one HEADERS frame with END_STREAM in the packet that carries grpc-status 5').toHaveLength(1);
      return trailers;
    });
    expect(found).toHaveLength(1);
    return found[0];
  },
  '06-websockets/server-close-code': async (file) => {
    const closes = await tshark(file, ['tcp.port==18094,http'], 'tcp.srcport==18094 && websocket.opcode == 8', ['websocket.payload.close.status_code']);
    expect(closes).toHaveLength(1);
    return closes[0][0][0];
  },
  '12-mqtt/granted-qos': async (file) => {
    const packets = await tshark(file, ['tcp.port==18095,mqtt', 'tcp.port==18096,mqtt'], 'mqtt', [
      'tcp.stream',
      'tcp.dstport',
      'mqtt.msgtype',
      'mqtt.qos',
      'mqtt.sub.qos',
      'mqtt.suback.qos',
    ]);
    const subscribe = packets.find(([, , type]) => type[0] === '8')!;
    const [stream, broker] = [subscribe[0][0], subscribe[1][0]];
    const ofSubscriber = packets.filter(([other]) => other[0] === stream);
    const granted = ofSubscriber.find(([, , type]) => type[0] === '9')![5][0];
    // the broker granted less than asked: the answer is not the request's
    expect(Number(granted)).toBeLessThan(Number(subscribe[4][0]));
    const deliveries = ofSubscriber.filter(([, to, type]) => type[0] === '3' && to[0] !== broker);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0][3][0]).toBe(granted);
    return deliveries[0][3][0];
  },
};

const questions = readdirSync(LESSONS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && /^\d{2}-[a-z0-9-]+$/.test(entry.name))
  .flatMap((entry) => {
    const lesson = JSON.parse(readFileSync(join(LESSONS, entry.name, 'lesson.json'), 'utf8')) as {
      exercises: Record<string, { check: { type: string; file?: string; ask?: CaptureAsk } }>;
    };
    return Object.entries(lesson.exercises)
      .filter(([, exercise]) => exercise.check.type === 'capture')
      .map(([id, { check }]) => ({ name: `${entry.name}/${id}`, file: join(LESSONS, entry.name, check.file!), ask: check.ask! }));
  });

// tshark loads every dissector when it starts: seconds on a quiet machine, more on a busy one
describe('the answer each capture question expects, against tshark', { timeout: 180_000 }, () => {
  it('there are questions to compare', () => {
    expect(questions.length).toBeGreaterThan(0);
  });

  it.each(questions)('$name', async ({ name, file, ask }) => {
    const read = TSHARK_ANSWERS[name];
    expect(read, `${name} needs its tshark reading in TSHARK_ANSWERS`).toBeDefined();
    const traffic = trafficOfCaptureFile(new Uint8Array(readFileSync(file)));
    expect(traffic).not.toBeNull();
    expect(expectedAnswer(ask, traffic!)).toBe(await read(file));
  });
});
