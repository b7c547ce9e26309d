import { describe, expect, it } from 'vitest';
import { BodyFields, readUint16 } from './body-fields.ts';

describe("an MQTT body's fields (MQTT 3.1.1 §1.5)", () => {
  it('reads bytes, two-byte integers and length-prefixed strings in order', () => {
    const fields = new BodyFields(Uint8Array.of(0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x01, 0x2c));
    expect(new TextDecoder().decode(fields.lengthPrefixed())).toBe('MQTT');
    expect(fields.byte()).toBe(4);
    expect(fields.uint16()).toBe(300);
    expect(fields.left).toBe(0);
    expect(readUint16(Uint8Array.of(0xff, 0xfe), 0)).toBe(65_534);
  });

  it('gives undefined for a read past the end', () => {
    const fields = new BodyFields(Uint8Array.of(0x00, 0x05, 0x61));
    expect(fields.lengthPrefixed()).toBeUndefined();
    expect(fields.at).toBe(2);
    expect(fields.uint16()).toBeUndefined();
    expect(fields.byte()).toBe(0x61);
    expect(fields.byte()).toBeUndefined();
  });
});
