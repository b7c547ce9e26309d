import { createMethodSerializationLookup } from '@connectrpc/connect/protocol';
import { ConnectError } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { LabService } from '../../../proto/gen/wirelab/lab/v1/lab_pb.ts';
import { firstDuplicateKey, methodSerializationLookup } from './json-input.ts';

// The faster JSON request parser against connect-es's own (createJsonSerialization with
// @bufbuild/protobuf's fromJsonString): the same message, or the same error, for every text.

/** A small random JSON text whose objects may repeat a member name, spelled plainly or escaped. */
function randomJson(random: () => number, depth = 0): string {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const strings = ['""', '"a"', '"x\\"y"', '"back\\\\"', '"\\\\\\""', '"{[,:]}"', '"\\u0061"', '"лобби"'];
  const kind = depth > 3 ? pick(['string', 'number', 'literal']) : pick(['object', 'object', 'array', 'string', 'number', 'literal']);
  if (kind === 'string') return pick(strings);
  if (kind === 'number') return pick(['0', '-1.5e3', '42']);
  if (kind === 'literal') return pick(['true', 'false', 'null']);
  const count = Math.floor(random() * 4);
  const items = Array.from({ length: count }, () => randomJson(random, depth + 1));
  if (kind === 'array') return `[${items.join(',')}]`;
  const keys = ['"a"', '"b"', '"\\u0061"', '"a\\"b"', '"a\\\\"', '"message"'];
  return `{${items.map((item) => `${pick(keys)}:${pick([' ', ''])}${item}`).join(',')}}`;
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const reference = createMethodSerializationLookup(LabService.method.echo, {}, {}, { readMaxBytes: 0xffffffff, writeMaxBytes: 0xffffffff }).getI(false);
const ours = methodSerializationLookup(LabService.method.echo, {}, {}, { readMaxBytes: 0xffffffff, writeMaxBytes: 0xffffffff }).getI(false);

function outcome(parse: (data: Uint8Array) => unknown, text: string): unknown {
  try {
    return { message: parse(new TextEncoder().encode(text)) };
  } catch (e) {
    const error = e as ConnectError;
    return { code: error.code, message: error.rawMessage };
  }
}

describe('the JSON request parser', () => {
  it('finds a repeated member name wherever connect-es does, over a thousand random texts', () => {
    const random = seeded(7);
    let duplicates = 0;
    for (let n = 0; n < 1000; n++) {
      const text = randomJson(random);
      const expected = outcome(reference.parse, text) as { message: string };
      if (typeof expected.message === 'string' && expected.message.includes('duplicate object key')) duplicates += 1;
      const found = firstDuplicateKey(text);
      expect(found === undefined, text).toBe(!(typeof expected.message === 'string' && expected.message.includes('duplicate object key')));
    }
    // the comparison met duplicates often, and texts without any as often
    expect(duplicates).toBeGreaterThan(100);
    expect(duplicates).toBeLessThan(900);
  });

  it('gives the same message or the same error as connect-es, a request of 1 MB included', () => {
    const texts = [
      '{"message":"hi"}',
      '{"message":"hi","message":"again"}',
      '{"message":"a\\"b","\\u006dessage":"c"}',
      '{"message":"x\\\\"}',
      '{"message":"' + 'x'.repeat(1024 * 1024) + '"}',
      '{"message":"' + 'x\\"'.repeat(1000) + '","message":"y"}',
      '{"message":', // not JSON
      '[]',
      '{"message":1}',
      '{"unknown":{"a":1,"a":2}}',
      '{"unknown":[{"a":1},{"a":2}]}',
    ];
    for (const text of texts) expect(outcome(ours.parse, text), text.slice(0, 40)).toEqual(outcome(reference.parse, text));
  });
});
