import { HUFFMAN_CODE } from './rfc7541-tables.ts';

// HPACK's static Huffman code (RFC 7541 Appendix B), as a binary trie built once from the RFC's
// table of codes (rfc7541-tables.ts). Each trie node is two slots (bit 0, bit 1): a positive
// number is the next node, a negative one is a leaf holding -(symbol + 1), 0 is a code that does
// not exist.

const EOS = 256;
const trie: number[] = [0, 0];

for (const [symbol, [code, bits]] of HUFFMAN_CODE.entries()) {
  let node = 0;
  for (let bit = bits - 1; bit >= 0; bit -= 1) {
    const slot = node + ((code >>> bit) & 1);
    if (bit === 0) {
      trie[slot] = -(symbol + 1);
    } else {
      if (trie[slot] === 0) {
        trie[slot] = trie.length;
        trie.push(0, 0);
      }
      node = trie[slot];
    }
  }
}

export type HuffmanResult = { bytes: Uint8Array } | { error: 'huffman-eos' | 'huffman-invalid-padding' | 'huffman-invalid-code' };

/**
 * Decodes a Huffman-coded HPACK string. The last byte is padded with the most significant bits
 * of EOS (all ones), at most 7 bits (RFC 7541 §5.2); anything else is an error.
 */
export function decodeHuffman(input: Uint8Array): HuffmanResult {
  const out: number[] = [];
  let node = 0;
  let pendingBits = 0;
  let pendingAllOnes = true;
  for (const byte of input) {
    for (let bit = 7; bit >= 0; bit -= 1) {
      const value = (byte >>> bit) & 1;
      const next = trie[node + value];
      if (next === 0) return { error: 'huffman-invalid-code' };
      pendingBits += 1;
      pendingAllOnes &&= value === 1;
      if (next < 0) {
        const symbol = -next - 1;
        if (symbol === EOS) return { error: 'huffman-eos' };
        out.push(symbol);
        node = 0;
        pendingBits = 0;
        pendingAllOnes = true;
      } else {
        node = next;
      }
    }
  }
  if (pendingBits > 7 || !pendingAllOnes) return { error: 'huffman-invalid-padding' };
  return { bytes: Uint8Array.from(out) };
}
