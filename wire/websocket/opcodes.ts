// RFC 6455 §5.2 opcodes, by name and by number: one table for the inspector's decoder and the
// check kit's client (server/own-server/websocket-client.ts).

/** The opcodes RFC 6455 defines; 0x3–0x7 and 0xB–0xF are reserved. */
export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** Each defined opcode's name, by number. */
export const OPCODE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(OPCODE).map(([name, opcode]) => [opcode, name]));

/** The opcode's name, or `reserved-0x3`… for one RFC 6455 keeps reserved. */
export function opcodeName(opcode: number): string {
  return OPCODE_NAMES[opcode] ?? `reserved-0x${opcode.toString(16)}`;
}

/** Close, ping and pong (0x8 and up) are control frames: never fragmented, at most 125 bytes (§5.5). */
export function isControlOpcode(opcode: number): boolean {
  return opcode >= OPCODE.close;
}
