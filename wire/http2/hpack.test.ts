import { describe, expect, it } from 'vitest';
import { decodeConnection } from '../decode-connection.ts';
import { readFixture } from '../fixtures/read-fixture.ts';
import { contiguousOffsets } from '../payload-layers.ts';
import { wireErrorText } from '../node-text.ts';
import type { WireNode } from '../types.ts';
import { HpackDecoder } from './hpack.ts';
import { decodeHuffman } from './huffman.ts';
import { HUFFMAN_CODE, STATIC_TABLE } from './rfc7541-tables.ts';

const fromHex = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));

/** Huffman-codes bytes with the RFC's table, padding with the start of EOS (RFC 7541 §5.2). */
function huffmanEncode(bytes: Uint8Array): Uint8Array {
  let bits = '';
  for (const byte of bytes) {
    const [code, length] = HUFFMAN_CODE[byte];
    bits += code.toString(2).padStart(length, '0');
  }
  bits += '1'.repeat((8 - (bits.length % 8)) % 8);
  return Uint8Array.from(bits.match(/.{8}/g) ?? [], (octet) => parseInt(octet, 2));
}

describe('the RFC 7541 tables', () => {
  it('static table: 61 entries, :authority first and www-authenticate last (Appendix A)', () => {
    expect(STATIC_TABLE.length).toBe(61);
    expect(STATIC_TABLE[0]).toEqual([':authority', '']);
    expect(STATIC_TABLE[7]).toEqual([':status', '200']);
    expect(STATIC_TABLE[60]).toEqual(['www-authenticate', '']);
  });

  it('Huffman code: 257 codes of 5 to 30 bits forming a complete prefix code, EOS thirty ones (Appendix B)', () => {
    expect(HUFFMAN_CODE.length).toBe(257);
    expect(HUFFMAN_CODE[256]).toEqual([0x3fffffff, 30]);
    // Kraft's sum is exactly 1 for a complete prefix code: no code is missing or doubled
    const kraft = HUFFMAN_CODE.reduce((sum, [, bits]) => sum + 2 ** (30 - bits), 0);
    expect(kraft).toBe(2 ** 30);
    const spelled = HUFFMAN_CODE.map(([code, bits]) => code.toString(2).padStart(bits, '0'));
    for (const [index, code] of spelled.entries()) {
      expect(code.length).toBeGreaterThanOrEqual(5);
      expect(spelled.some((other, otherIndex) => otherIndex !== index && other.startsWith(code))).toBe(false);
    }
  });
});

describe('Huffman (RFC 7541 Appendix B)', () => {
  it('decodes the code of "www.example.com" (RFC 7541 C.4.1)', () => {
    const result = decodeHuffman(fromHex('f1e3 c2e5 f23a 6ba0 ab90 f4ff'));
    expect('bytes' in result && Buffer.from(result.bytes).toString()).toBe('www.example.com');
  });

  it('decodes every byte value back from its code', () => {
    const every = Uint8Array.from({ length: 256 }, (_, byte) => byte);
    expect(decodeHuffman(huffmanEncode(every))).toEqual({ bytes: every });
  });

  it('refuses EOS inside a string', () => {
    expect(decodeHuffman(fromHex('ffff ffff'))).toEqual({ error: 'huffman-eos' });
  });

  it('rejects padding that is not the start of EOS and padding longer than 7 bits', () => {
    expect(decodeHuffman(fromHex('f1e3 c2e5 f23a 6ba0 ab90 f4fe'))).toEqual({ error: 'huffman-invalid-padding' });
    expect(decodeHuffman(fromHex('ff'))).toEqual({ error: 'huffman-invalid-padding' });
  });
});

describe('HPACK decoder, RFC 7541 Appendix C', () => {
  it('C.3: three requests without Huffman share one dynamic table', () => {
    const decoder = new HpackDecoder();
    const first = decoder.decodeBlock(fromHex('8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d'), contiguousOffsets(0));
    expect(first.fields.map((field) => [field.name, field.value, field.representation])).toEqual([
      [':method', 'GET', 'indexed'],
      [':scheme', 'http', 'indexed'],
      [':path', '/', 'indexed'],
      [':authority', 'www.example.com', 'literal-incremental-indexing'],
    ]);
    expect(decoder.tableSize).toBe(57);
    const second = decoder.decodeBlock(fromHex('8286 84be 5808 6e6f 2d63 6163 6865'), contiguousOffsets(100));
    expect(second.fields.map((field) => `${field.name}: ${field.value}`)).toEqual([
      ':method: GET',
      ':scheme: http',
      ':path: /',
      ':authority: www.example.com',
      'cache-control: no-cache',
    ]);
    // index 62 (be) is the first dynamic entry; its node says so and points at its one byte
    expect(second.fields[3].range).toEqual({ start: 103, end: 104 });
    expect(second.fields[3].node.children?.[0].value).toMatch(/^dynamic table entry 62/);
    expect(decoder.tableSize).toBe(110);
    const third = decoder.decodeBlock(fromHex('8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65'), contiguousOffsets(0));
    expect(third.fields.map((field) => `${field.name}: ${field.value}`)).toEqual([
      ':method: GET',
      ':scheme: https',
      ':path: /index.html',
      ':authority: www.example.com',
      'custom-key: custom-value',
    ]);
    expect(decoder.tableEntries).toBe(3);
    expect(decoder.tableSize).toBe(164);
  });

  it('C.4.1: Huffman-coded strings are annotated as such', () => {
    const decoder = new HpackDecoder();
    const block = decoder.decodeBlock(fromHex('8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff'), contiguousOffsets(0));
    const authority = block.fields[3];
    expect(authority.value).toBe('www.example.com');
    const value = authority.node.children?.find((child) => child.kind === 'hpack-value');
    expect(value?.children?.[0].label).toMatch(/^H=1 Huffman-coded, 12 bytes/);
    expect(value?.children?.[1]).toMatchObject({ kind: 'hpack-huffman', range: { start: 5, end: 17 } });
  });

  it('C.2: one literal of each kind and an indexed field, each on a fresh table', () => {
    const incremental = new HpackDecoder();
    const c21 = incremental.decodeBlock(fromHex('400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572'), contiguousOffsets(0));
    expect(c21.fields[0]).toMatchObject({ name: 'custom-key', value: 'custom-header', representation: 'literal-incremental-indexing' });
    expect(incremental.tableSize).toBe(55);
    const without = new HpackDecoder();
    const c22 = without.decodeBlock(fromHex('040c 2f73 616d 706c 652f 7061 7468'), contiguousOffsets(0));
    expect(c22.fields[0]).toMatchObject({ name: ':path', value: '/sample/path', representation: 'literal-without-indexing' });
    expect(without.tableEntries).toBe(0);
    const never = new HpackDecoder();
    const c23 = never.decodeBlock(fromHex('1008 7061 7373 776f 7264 0673 6563 7265 74'), contiguousOffsets(0));
    expect(c23.fields[0]).toMatchObject({ name: 'password', value: 'secret', representation: 'literal-never-indexed' });
    expect(never.tableEntries).toBe(0);
    expect(new HpackDecoder().decodeBlock(fromHex('82'), contiguousOffsets(0)).fields[0]).toMatchObject({
      name: ':method',
      value: 'GET',
      representation: 'indexed',
    });
  });

  it('C.4: three requests with Huffman coding', () => {
    const decoder = new HpackDecoder();
    decoder.decodeBlock(fromHex('8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff'), contiguousOffsets(0));
    expect(decoder.tableSize).toBe(57);
    const second = decoder.decodeBlock(fromHex('8286 84be 5886 a8eb 1064 9cbf'), contiguousOffsets(0));
    expect(second.fields.map((field) => `${field.name}: ${field.value}`)).toEqual([
      ':method: GET',
      ':scheme: http',
      ':path: /',
      ':authority: www.example.com',
      'cache-control: no-cache',
    ]);
    expect(decoder.tableSize).toBe(110);
    const third = decoder.decodeBlock(fromHex('8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf'), contiguousOffsets(0));
    expect(third.fields.map((field) => `${field.name}: ${field.value}`)).toEqual([
      ':method: GET',
      ':scheme: https',
      ':path: /index.html',
      ':authority: www.example.com',
      'custom-key: custom-value',
    ]);
    expect(decoder.tableSize).toBe(164);
  });

  it('C.6: three responses with Huffman coding on a 256-byte table, evicting as they go', () => {
    const decoder = new HpackDecoder();
    decoder.decodeBlock(fromHex('3fe101'), contiguousOffsets(0));
    const first = decoder.decodeBlock(
      fromHex('4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3'),
      contiguousOffsets(0),
    );
    expect(first.fields.map((field) => `${field.name}: ${field.value}`)).toEqual([
      ':status: 302',
      'cache-control: private',
      'date: Mon, 21 Oct 2013 20:13:21 GMT',
      'location: https://www.example.com',
    ]);
    expect(decoder.tableSize).toBe(222);
    const second = decoder.decodeBlock(fromHex('4883 640e ffc1 c0bf'), contiguousOffsets(0));
    expect(second.fields[0]).toMatchObject({ name: ':status', value: '307' });
    expect(decoder.tableSize).toBe(222);
    const third = decoder.decodeBlock(
      fromHex(
        '88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07',
      ),
      contiguousOffsets(0),
    );
    expect(third.fields.map((field) => `${field.name}: ${field.value}`)).toEqual([
      ':status: 200',
      'cache-control: private',
      'date: Mon, 21 Oct 2013 20:13:22 GMT',
      'location: https://www.example.com',
      'content-encoding: gzip',
      'set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1',
    ]);
    expect(decoder.tableEntries).toBe(3);
    expect(decoder.tableSize).toBe(215);
  });

  it('C.5: a 256-byte table evicts the oldest entries; never-indexed and size updates are named', () => {
    const decoder = new HpackDecoder();
    // size update to 256 (3f e1 01), then the C.5.1 response
    const block = decoder.decodeBlock(
      fromHex(
        '3fe101 4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
      ),
      contiguousOffsets(0),
    );
    expect(block.nodes[0]).toMatchObject({ kind: 'hpack-table-size-update', value: '256 bytes', range: { start: 0, end: 3 } });
    expect(block.fields.map((field) => field.name)).toEqual([':status', 'cache-control', 'date', 'location']);
    expect(decoder.tableSize).toBe(222);
    const second = decoder.decodeBlock(fromHex('4803 3330 37c1 c0bf'), contiguousOffsets(0));
    expect(second.fields.map((field) => field.value)).toEqual(['307', 'private', 'Mon, 21 Oct 2013 20:13:21 GMT', 'https://www.example.com']);
    expect(decoder.tableEntries).toBe(4);
    const never = decoder.decodeBlock(fromHex('1008 7061 7373 776f 7264 0673 6563 7265 74'), contiguousOffsets(0));
    expect(never.fields[0]).toMatchObject({ name: 'password', value: 'secret', representation: 'literal-never-indexed' });
    expect(decoder.tableEntries).toBe(4);
  });

  it('flags a table size update after a field of the same block (RFC 7541 §4.2), not one at its start', () => {
    // :method GET (82), then a size update to 256 (3f e1 01), then :path / (84)
    const late = new HpackDecoder().decodeBlock(fromHex('82 3fe101 84'), contiguousOffsets(0));
    expect(late.nodes.map((node) => node.error)).toEqual([undefined, 'table-size-update-after-field', undefined]);
    expect(late.fields.map((field) => field.name)).toEqual([':method', ':path']);
    expect(wireErrorText('table-size-update-after-field', 'en')).toContain('RFC 7541 §4.2');
    const early = new HpackDecoder().decodeBlock(fromHex('3fe101 82 84'), contiguousOffsets(0));
    expect(early.nodes.map((node) => node.error)).toEqual([undefined, undefined, undefined]);
  });

  it('says what is wrong with a broken block and keeps what it read', () => {
    const decoder = new HpackDecoder();
    expect(decoder.decodeBlock(fromHex('82 ff'), contiguousOffsets(0))).toMatchObject({ error: 'truncated-integer', fields: [{ name: ':method' }] });
    expect(new HpackDecoder().decodeBlock(fromHex('be'), contiguousOffsets(0)).error).toBe('index-out-of-range');
    expect(new HpackDecoder().decodeBlock(fromHex('80'), contiguousOffsets(0)).error).toBe('index-zero');
    expect(new HpackDecoder().decodeBlock(fromHex('410f7777'), contiguousOffsets(0)).error).toBe('truncated-string');
    const afterGap = new HpackDecoder();
    afterGap.loseHistory();
    const block = afterGap.decodeBlock(fromHex('82 be'), contiguousOffsets(10));
    expect(block.error).toBe('dynamic-entry-before-gap');
    expect(block.nodes[block.nodes.length - 1]).toMatchObject({ kind: 'hpack-error', range: { start: 11, end: 12 } });
  });
});

/** Header blocks of every HEADERS/PUSH_PROMISE(+CONTINUATION) in one direction, with the fields our decoder found. */
function headerBlocks(name: string, dir: 'in' | 'out'): Array<{ fields: Array<[string, string]>; errors: WireNode[] }> {
  const { fixture, chunks } = readFixture(name);
  const decoded = decodeConnection(fixture.connections[0], chunks);
  const blocks: Array<{ fields: Array<[string, string]>; errors: WireNode[] }> = [];
  let current: { fields: Array<[string, string]>; errors: WireNode[] } | null = null;
  for (const message of (decoded.messages ?? [])
    .filter((candidate) => candidate.layer === 'h2-frame' && candidate.dir === dir)
    .sort((a, b) => a.range.start - b.range.start)) {
    const fragment = message.tree.children?.find((child) => child.kind === 'hpack-block');
    if (!fragment) continue;
    if (message.fields?.type !== 'CONTINUATION') current = { fields: [], errors: [] };
    const children = fragment.children ?? [];
    current!.fields.push(
      ...children.filter((node: WireNode) => node.kind === 'hpack-field').map((node: WireNode): [string, string] => [node.label, node.value ?? '']),
    );
    current!.errors.push(...children.filter((node: WireNode) => node.kind === 'hpack-error'));
    if (message.fields?.endHeaders) blocks.push(current!);
  }
  return blocks;
}

describe('HPACK on captured connections (curl, nghttp, Node, gRPC clients)', () => {
  for (const name of ['h2c-curl-get', 'h2c-curl-post', 'h2c-nghttp', 'h2c-node-control', 'h2c-push', 'grpc-unary', 'grpc-server-streaming', 'grpc-wirelab']) {
    it(`${name}: every block decodes, requests name a :method and responses a :status`, () => {
      const requests = headerBlocks(name, 'in');
      const responses = headerBlocks(name, 'out');
      expect(requests.length).toBeGreaterThan(0);
      expect(responses.length).toBeGreaterThan(0);
      for (const block of [...requests, ...responses]) expect(block.errors).toEqual([]);
      for (const block of requests) expect(block.fields.map(([field]) => field)).toContain(':method');
      for (const block of responses) {
        // a response's first block begins with :status; a PUSH_PROMISE's names the pushed request
        // (:method); trailers carry no pseudo-header
        if (block.fields.some(([field]) => field.startsWith(':')))
          expect(block.fields[0][0] === ':status' || block.fields.some(([field]) => field === ':method')).toBe(true);
        for (const [field, value] of block.fields) expect(field + value).not.toMatch(/\uFFFD/);
      }
    });
  }
});
