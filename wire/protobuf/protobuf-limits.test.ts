import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../fuzz/seeded-random.ts';
import { contiguousOffsets } from '../payload-layers.ts';
import type { WireNode } from '../types.ts';
import { decodeProtobuf, PROTOBUF_MAX_FIELD_NUMBER } from './decode-protobuf.ts';

function varint(value: bigint): number[] {
  const bytes: number[] = [];
  do {
    const low = Number(value & 0x7fn);
    value >>= 7n;
    bytes.push(value > 0n ? low | 0x80 : low);
  } while (value > 0n);
  return bytes;
}
const decode = (bytes: number[]) => decodeProtobuf(Uint8Array.from(bytes), contiguousOffsets(0));
const fields = (message: WireNode) => (message.children ?? []).filter((child) => child.kind === 'pb-field');
const valueTextOf = (field: WireNode) => field.children?.find((child) => child.kind === 'pb-value')?.value ?? '';

describe('protobuf: values no parser produces', () => {
  it('a 10-byte varint with bits above 2^64 is read modulo 2^64, as protoc does', () => {
    // field 1, varint; ten 0xff bytes but the last: 0x7f sets bits 63..69
    const message = decode([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    expect(message.error).toBeUndefined();
    const value = valueTextOf(fields(message)[0]);
    expect(value).toMatch(/^18446744073709551615\b/);
    expect(value).not.toMatch(/\d{21}/);
    const lastByte = fields(message)[0].children![1].children!.at(-1)!;
    expect(lastByte.value).toMatch(/bits above 2\^64 are dropped/);
  });

  it('field numbers above 2^29 − 1 are invalid (protoc refuses them); 2^29 − 1 itself is fine', () => {
    const largest = decode([...varint((BigInt(PROTOBUF_MAX_FIELD_NUMBER) << 3n) | 0n), 1]);
    expect(largest.error).toBeUndefined();
    expect(fields(largest)[0].label).toBe(String(PROTOBUF_MAX_FIELD_NUMBER));
    const above = decode([...varint((BigInt(PROTOBUF_MAX_FIELD_NUMBER + 1) << 3n) | 0n), 1]);
    expect(above.error).toBe('invalid-field-number');
    expect(fields(above)).toEqual([]);
  });
});

describe('protobuf properties (seeded)', () => {
  it('any uint64 varint of 1..10 bytes decodes to its value; any 10-byte varint to its value modulo 2^64', () => {
    const random = new SeededRandom(64);
    for (let trial = 0; trial < 3000; trial += 1) {
      const value = random.next() < 0.5 ? random.uint64() >> BigInt(random.int(64)) : random.uint64();
      const message = decode([0x08, ...varint(value)]);
      expect(valueTextOf(fields(message)[0])).toMatch(new RegExp(`^${value}\\b`));
      // ten bytes whose last has any 7 bits: bits 64..69 drop out
      const tenBytes = Array.from(random.bytes(9), (byte) => byte | 0x80).concat(random.int(128));
      const expected = tenBytes.reduce((sum, byte, index) => sum | (BigInt(byte & 0x7f) << BigInt(7 * index)), 0n) & 0xffff_ffff_ffff_ffffn;
      expect(valueTextOf(fields(decode([0x08, ...tenBytes]))[0])).toMatch(new RegExp(`^${expected}\\b`));
    }
  });

  it('field numbers 1..2^29 − 1 are fields, 0 and anything above is invalid-field-number', () => {
    const random = new SeededRandom(29);
    for (let trial = 0; trial < 2000; trial += 1) {
      const number = random.next() < 0.5 ? 1 + random.int(PROTOBUF_MAX_FIELD_NUMBER) : PROTOBUF_MAX_FIELD_NUMBER + 1 + random.int(2 ** 32);
      const message = decode([...varint(BigInt(number) << 3n), 0]);
      if (number <= PROTOBUF_MAX_FIELD_NUMBER) expect(fields(message)[0].label).toBe(String(number));
      else expect(message.error).toBe('invalid-field-number');
    }
    expect(decode([0x00, 0x00]).error).toBe('invalid-field-number');
  });

  it('a length past the end is length-past-end; wire types 6 and 7 are invalid; random bytes never throw', () => {
    const random = new SeededRandom(2);
    for (let trial = 0; trial < 2000; trial += 1) {
      const length = random.int(40);
      const payload = Array.from(random.bytes(random.int(length + 5)));
      const message = decode([0x0a, ...varint(BigInt(length)), ...payload]);
      if (payload.length < length) expect(message.error).toBe('length-past-end');
      else expect(fields(message).length).toBeGreaterThan(0);
      expect(decode([(1 << 3) | (6 + random.int(2))]).error).toBe('invalid-wire-type');
      expect(() => decode(Array.from(random.bytes(random.int(64))))).not.toThrow();
    }
  });
});
