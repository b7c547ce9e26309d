import { create, toBinary } from '@bufbuild/protobuf';
import { ConnectError, type Code } from '@connectrpc/connect';
import { createMethodSerializationLookup } from '@connectrpc/connect/protocol';
import { describe, expect, it } from 'vitest';
import { EchoRequestSchema, EchoResponseSchema, LabService } from '../../../proto/gen/wirelab/lab/v1/lab_pb.ts';
import { messagesInTurns } from './message-turns.ts';

// Big messages parsed and serialized in turns of the event loop: the same messages, bytes and
// errors as connect-es's own limited serialization, and the event loop released between steps.

const LIMITS = { readMaxBytes: 200_000, writeMaxBytes: 300_000 };
const echo = LabService.method.echo;
const reference = createMethodSerializationLookup(echo, {}, {}, LIMITS);
const big = 'лобби x'.repeat(12_000);
const encode = (text: string) => new TextEncoder().encode(text);

type Outcome = { value: unknown } | { code: Code; message: string };

async function outcomeOf(run: () => unknown): Promise<Outcome> {
  try {
    const value = await run();
    // Bytes compared as one string: element by element, a big array takes seconds to compare.
    return { value: value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value };
  } catch (e) {
    const error = e as ConnectError;
    expect(error).toBeInstanceOf(ConnectError);
    return { code: error.code, message: error.rawMessage };
  }
}

describe('messagesInTurns', () => {
  const inTurns = messagesInTurns(echo, {}, {}, LIMITS);
  const requests: Array<[string, boolean, Uint8Array]> = [
    ['a big JSON message', false, encode(JSON.stringify({ message: big }))],
    ['a big binary message', true, toBinary(EchoRequestSchema, create(EchoRequestSchema, { message: big }))],
    ['malformed JSON', false, encode(`{"message": "${big}`)],
    ['a repeated member name', false, encode(`{"message": "${big}", "message": "again"}`)],
    ['a field of the wrong type', false, encode(JSON.stringify({ message: [big] }))],
    ['text that is not UTF-8', false, new Uint8Array([0x7b, 0x22, 0x6d, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
    ['undecodable binary', true, new Uint8Array([0xff, 0xff, 0xff, 0x07])],
    ['a body over readMaxBytes, JSON', false, encode(JSON.stringify({ message: 'x'.repeat(LIMITS.readMaxBytes) }))],
    ['a body over readMaxBytes, binary', true, toBinary(EchoRequestSchema, create(EchoRequestSchema, { message: 'x'.repeat(LIMITS.readMaxBytes) }))],
  ];
  for (const [name, binary, data] of requests) {
    it(`parses ${name} as connect-es does`, async () => {
      const expected = await outcomeOf(() => reference.getI(binary).parse(data));
      expect(await outcomeOf(() => inTurns.parse(binary, data))).toEqual(expected);
    });
  }

  it('lets a JSON body go as soon as it is decoded, parsed or refused (release), and never a binary one, whose message may keep views of it', async () => {
    const steps: string[] = [];
    const counted = messagesInTurns(echo, {}, {}, LIMITS, async () => void steps.push('turn'));
    const release = () => steps.push('released');
    await counted.parse(false, encode(JSON.stringify({ message: big })), release);
    // released after the first step (the text decoded), before JSON.parse's turn
    expect(steps).toEqual(['turn', 'released', 'turn', 'turn']);
    steps.length = 0;
    await expect(counted.parse(false, encode(`{"message": "${big}`), release)).rejects.toThrow(ConnectError);
    expect(steps).toEqual(['turn', 'released', 'turn']);
    steps.length = 0;
    await expect(counted.parse(false, encode(JSON.stringify({ message: 'x'.repeat(LIMITS.readMaxBytes) })), release)).rejects.toThrow(/readMaxBytes/);
    expect(steps).toEqual(['turn', 'released']);
    steps.length = 0;
    await counted.parse(true, toBinary(EchoRequestSchema, create(EchoRequestSchema, { message: big })), release);
    expect(steps).toEqual(['turn']);
  });

  const answers: Array<[string, string]> = [
    ['a big answer', big],
    ['an answer over writeMaxBytes', 'x'.repeat(LIMITS.writeMaxBytes)],
  ];
  for (const [name, message] of answers) {
    for (const binary of [false, true]) {
      it(`serializes ${name} (${binary ? 'binary' : 'JSON'}) as connect-es does`, async () => {
        const answer = create(EchoResponseSchema, { message, requestMetadata: { 'x-lang': 'ru' }, protocol: 'connect' });
        const expected = await outcomeOf(() => reference.getO(binary).serialize(answer));
        expect(await outcomeOf(() => inTurns.serialize(binary, answer))).toEqual(expected);
      });
    }
  }

  it('releases the event loop between the steps of a JSON message, and before a binary one', async () => {
    const steps: string[] = [];
    const counted = messagesInTurns(echo, {}, {}, { ...LIMITS, writeMaxBytes: 2 * 1024 * 1024 }, async () => void steps.push('turn'));
    const json = encode(JSON.stringify({ message: big }));
    const parsing = counted.parse(false, json);
    // Nothing is parsed before the first turn: the caller's tick ends at once.
    expect(steps).toEqual(['turn']);
    const message = await parsing;
    // decode | JSON.parse | fromJson
    expect(steps).toEqual(['turn', 'turn', 'turn']);
    steps.length = 0;
    await counted.serialize(false, create(EchoResponseSchema, { message: (message as unknown as { message: string }).message }));
    // toJson, then JSON.stringify and the encoding a slice at a time (json-output.ts): this answer is one step
    expect(steps).toEqual(['turn']);
    steps.length = 0;
    await counted.serialize(false, create(EchoResponseSchema, { message: 'x'.repeat(1024 * 1024) }));
    // a 1 MiB answer: a step every 128 Ki characters
    expect(steps).toHaveLength(9);
    steps.length = 0;
    await counted.parse(true, toBinary(EchoRequestSchema, create(EchoRequestSchema, { message: big })));
    expect(steps).toEqual(['turn']);
  });

  it("takes one step of any call a turn: two calls' steps alternate with the rest of the event loop", async () => {
    // Counts the turns of the event loop while both parse (one immediate a turn, queued after the calls' first).
    let turns = 0;
    let counting = true;
    const count = () => {
      turns += 1;
      if (counting) setImmediate(count);
    };
    const json = encode(JSON.stringify({ message: big }));
    const both = Promise.all([inTurns.parse(false, json), inTurns.parse(false, json)]);
    setImmediate(count);
    await both;
    counting = false;
    // three steps each, one a turn: the counter ran in the turns of the first five (in two, had
    // each step an immediate of its own: both calls' steps in the same three turns)
    expect(turns).toBeGreaterThanOrEqual(5);
  });
});
