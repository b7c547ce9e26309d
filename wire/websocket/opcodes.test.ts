import { describe, expect, it } from 'vitest';
import { isControlOpcode, OPCODE, OPCODE_NAMES, opcodeName } from './opcodes.ts';

describe('WebSocket opcodes (RFC 6455 §5.2)', () => {
  it('are one table, by name and by number', () => {
    expect(OPCODE_NAMES).toEqual({ 0: 'continuation', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong' });
    for (const [name, opcode] of Object.entries(OPCODE)) expect(opcodeName(opcode)).toBe(name);
    expect(opcodeName(0x3)).toBe('reserved-0x3');
    expect(opcodeName(0xb)).toBe('reserved-0xb');
  });

  it('from 0x8 up are control frames (§5.5)', () => {
    expect([...Array(16).keys()].filter(isControlOpcode)).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
  });
});
