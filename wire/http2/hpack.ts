import { bytesRu, ru } from '../node-text.ts';
import { countRu } from '../../shared/russian-plural.ts';
import { rangeOf, type PayloadOffsets } from '../payload-layers.ts';
import type { WireNode } from '../types.ts';
import { decodeHuffman } from './huffman.ts';
import { STATIC_TABLE } from './rfc7541-tables.ts';

// HPACK (RFC 7541): how HTTP/2 compresses header blocks. Each direction of a connection has one
// decoder whose dynamic table lives as long as the connection, so a header block can only be
// read after every earlier block of that direction: `HpackDecoder` keeps that state, and
// annotates every field representation with its bytes for the inspector.

/** RFC 7541 §4.2 / RFC 9113 §6.5.2: the dynamic table starts at 4 096 bytes. */
export const HPACK_DEFAULT_TABLE_SIZE = 4096;
/** An entry's size is its name and value length plus this overhead (RFC 7541 §4.1). */
const ENTRY_OVERHEAD = 32;
const STATIC_ENTRIES = STATIC_TABLE.length;

export type HpackRepresentation = 'indexed' | 'literal-incremental-indexing' | 'literal-without-indexing' | 'literal-never-indexed' | 'table-size-update';

export interface HpackField {
  name: string;
  value: string;
  representation: Exclude<HpackRepresentation, 'table-size-update'>;
  /** where the field's representation lies in the direction's byte stream */
  range: { start: number; end: number };
  node: WireNode;
}

export interface HeaderBlockResult {
  fields: HpackField[];
  /** one node per representation (fields and table size updates), then any error node */
  nodes: WireNode[];
  /** set when the block could not be read to its end */
  error?: string;
}

interface TableEntry {
  name: string;
  value: string;
  /** octets of the name: a later literal that reuses the name adds an entry of that size */
  nameLength: number;
  size: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Header octets as text: UTF-8 when they are valid UTF-8, else one character per byte. */
export function headerText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    let text = '';
    for (const byte of bytes) text += String.fromCharCode(byte);
    return text;
  }
}

class BlockReader {
  position = 0;
  constructor(readonly bytes: Uint8Array) {}

  /** An integer with an N-bit prefix (RFC 7541 §5.1); undefined when the bytes end first. */
  integer(prefixBits: number): number | undefined {
    if (this.position >= this.bytes.length) return undefined;
    const max = (1 << prefixBits) - 1;
    let value = this.bytes[this.position] & max;
    this.position += 1;
    if (value < max) return value;
    let shift = 0;
    for (;;) {
      if (this.position >= this.bytes.length) return undefined;
      const byte = this.bytes[this.position];
      this.position += 1;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if ((byte & 0x80) === 0) return value;
      // more than 2^53 cannot be a real length or index: stop before precision is lost
      if (shift > 49) return undefined;
    }
  }
}

/** What one representation of a header block gives: its node (and field), or why the block cannot go on. */
type BlockStep = { node: WireNode; field?: HpackField } | BlockError;
type BlockError = { error: string; label: string; labelRu: string };

const stepError = (error: string, label: string, labelRu: string): BlockError => ({ error, label, labelRu });

export class HpackDecoder {
  private dynamic: TableEntry[] = [];
  private size = 0;
  private maxSize = HPACK_DEFAULT_TABLE_SIZE;
  /**
   * Bytes of this direction were not recorded (a gap), or a block could not be read: entries
   * added before are unknown, so a reference past the entries seen since is unreadable.
   */
  private historyLost = false;
  /**
   * The largest table size an update may set (RFC 7541 §4.2): the decoder's last
   * SETTINGS_HEADER_TABLE_SIZE that the encoder acknowledged (4096 before any). Infinity when the
   * recording does not tell (a gap hid a SETTINGS frame or its ACK).
   */
  tableSizeLimit = HPACK_DEFAULT_TABLE_SIZE;

  /** The recording has a hole: earlier dynamic-table entries are unknown from now on. */
  loseHistory(): void {
    this.historyLost = true;
  }

  get tableEntries(): number {
    return this.dynamic.length;
  }

  get tableSize(): number {
    return this.size;
  }

  /**
   * Reads one whole header block (a HEADERS or PUSH_PROMISE fragment and its CONTINUATIONs,
   * concatenated). `offsets` maps a byte of the block to its offset in the byte stream.
   */
  decodeBlock(block: Uint8Array, offsets: PayloadOffsets): HeaderBlockResult {
    const reader = new BlockReader(block);
    const fields: HpackField[] = [];
    const nodes: WireNode[] = [];
    const fail = (error: string, start: number, label: string, labelRu: string): HeaderBlockResult => {
      // The table no longer matches the encoder's: later blocks may reference what was lost.
      this.historyLost = true;
      const rest = block.length - start;
      nodes.push(
        ru(
          { kind: 'hpack-error', label, value: `${rest} bytes not decoded`, range: rangeOf(offsets, start, block.length), error },
          labelRu,
          `не разобрано: ${bytesRu(rest)}`,
        ),
      );
      return { fields, nodes, error };
    };
    while (reader.position < block.length) {
      const start = reader.position;
      const first = block[start];
      const step =
        first & 0x80
          ? this.indexedField(reader, offsets, start)
          : (first & 0xe0) === 0x20
            ? this.tableSizeUpdate(reader, offsets, start, fields.length > 0)
            : this.literalField(reader, offsets, start, first);
      if ('error' in step) return fail(step.error, start, step.label, step.labelRu);
      if (step.field) fields.push(step.field);
      nodes.push(step.node);
    }
    return { fields, nodes };
  }

  /** `1xxxxxxx`: a field from the static or dynamic table (RFC 7541 §6.1). */
  private indexedField(reader: BlockReader, offsets: PayloadOffsets, start: number): BlockStep {
    const index = reader.integer(7);
    if (index === undefined) return stepError('truncated-integer', 'Indexed field: the index is cut short', 'Индексированное поле: индекс оборван');
    const entry = this.lookup(index);
    if ('error' in entry) return entry;
    const range = rangeOf(offsets, start, reader.position);
    const node: WireNode = {
      kind: 'hpack-field',
      label: entry.name,
      value: entry.value,
      range,
      children: [
        ru(
          {
            kind: 'hpack-indexed',
            label: `1······· indexed field, index ${index}`,
            value:
              index <= STATIC_ENTRIES
                ? `static table entry ${index}`
                : `dynamic table entry ${index} (${index - STATIC_ENTRIES} of ${this.dynamic.length}, newest first)`,
            range,
          },
          `1······· индексированное поле, индекс ${index}`,
          index <= STATIC_ENTRIES
            ? `запись ${index} статической таблицы`
            : `запись ${index} динамической таблицы (${index - STATIC_ENTRIES}-я из ${this.dynamic.length}, новые первыми)`,
        ),
      ],
    };
    return { node, field: { name: entry.name, value: entry.value, representation: 'indexed', range, node } };
  }

  /** `001xxxxx`: a new size of the dynamic table (§6.3). */
  private tableSizeUpdate(reader: BlockReader, offsets: PayloadOffsets, start: number, afterField: boolean): BlockStep {
    const size = reader.integer(5);
    if (size === undefined) return stepError('truncated-integer', 'Table size update: the size is cut short', 'Изменение размера таблицы: размер оборван');
    if (size > this.tableSizeLimit) {
      return stepError(
        'table-size-above-limit',
        `Table size update to ${size} bytes: above the ${this.tableSizeLimit} bytes the decoder allowed (SETTINGS_HEADER_TABLE_SIZE), a decoding error`,
        `Изменение размера таблицы до ${bytesRu(size)}: больше разрешённых декодером ${bytesRu(this.tableSizeLimit)} (SETTINGS_HEADER_TABLE_SIZE), ошибка декодирования`,
      );
    }
    const node: WireNode = ru(
      {
        kind: 'hpack-table-size-update',
        label: '001····· dynamic table size update',
        value: `${size} bytes`,
        range: rangeOf(offsets, start, reader.position),
      },
      '001····· изменение размера динамической таблицы',
      bytesRu(size),
    );
    // RFC 7541 §4.2: a size update must open the block; after a field it is a decoding error.
    // Flagged on its node; the table still follows it, as the encoder meant.
    if (afterField) node.error = 'table-size-update-after-field';
    this.maxSize = size;
    this.evict();
    return { node };
  }

  /** A literal field, its name indexed or literal, added to the table or not (§6.2). */
  private literalField(reader: BlockReader, offsets: PayloadOffsets, start: number, first: number): BlockStep {
    const representation: HpackField['representation'] =
      (first & 0xc0) === 0x40 ? 'literal-incremental-indexing' : (first & 0xf0) === 0x10 ? 'literal-never-indexed' : 'literal-without-indexing';
    const prefixBits = representation === 'literal-incremental-indexing' ? 6 : 4;
    const nameIndex = reader.integer(prefixBits);
    if (nameIndex === undefined) return stepError('truncated-integer', 'Literal field: the name index is cut short', 'Литерал: индекс имени оборван');
    const prefixEnd = reader.position;
    const fromStatic = nameIndex <= STATIC_ENTRIES;
    const children: WireNode[] = [
      ru(
        {
          kind: 'hpack-literal',
          label: `${LITERAL_PATTERN[representation]} ${LITERAL_LABEL[representation]}`,
          value: nameIndex === 0 ? 'new name follows' : `name from ${fromStatic ? 'static' : 'dynamic'} table entry ${nameIndex}`,
          range: rangeOf(offsets, start, prefixEnd),
        },
        `${LITERAL_PATTERN[representation]} ${LITERAL_LABEL_RU[representation]}`,
        nameIndex === 0 ? 'дальше идёт новое имя' : `имя из записи ${nameIndex} ${fromStatic ? 'статической' : 'динамической'} таблицы`,
      ),
    ];
    let name: string;
    let nameLength: number;
    if (nameIndex === 0) {
      const literal = this.readString(reader, offsets, 'name');
      if ('error' in literal) {
        const cut = literal.error === 'truncated-string' || literal.error === 'truncated-integer';
        return stepError(
          literal.error,
          `Literal field: the name is ${cut ? 'cut short' : 'not valid Huffman code'}`,
          `Литерал: имя ${cut ? 'оборвано' : 'закодировано неверным кодом Хаффмана'}`,
        );
      }
      name = literal.text;
      nameLength = literal.length;
      children.push(literal.node);
    } else {
      const entry = this.lookup(nameIndex);
      if ('error' in entry) return entry;
      name = entry.name;
      nameLength = entry.nameLength;
    }
    const literal = this.readString(reader, offsets, 'value');
    if ('error' in literal) {
      const cut = literal.error === 'truncated-string' || literal.error === 'truncated-integer';
      return stepError(
        literal.error,
        `Literal field ${name}: the value is ${cut ? 'cut short' : 'not valid Huffman code'}`,
        `Литерал ${name}: значение ${cut ? 'оборвано' : 'закодировано неверным кодом Хаффмана'}`,
      );
    }
    children.push(literal.node);
    const range = rangeOf(offsets, start, reader.position);
    if (representation === 'literal-incremental-indexing') this.add(name, literal.text, nameLength, literal.length);
    const node: WireNode = { kind: 'hpack-field', label: name, value: literal.text, range, children };
    return { node, field: { name, value: literal.text, representation, range, node } };
  }

  private lookup(index: number): { name: string; value: string; nameLength: number } | BlockError {
    if (index === 0) return { error: 'index-zero', label: 'Index 0 is not a table entry', labelRu: 'Индекса 0 в таблице нет' };
    if (index <= STATIC_ENTRIES) {
      const [name, value] = STATIC_TABLE[index - 1];
      // the static table's names are ASCII: a character is an octet
      return { name, value, nameLength: name.length };
    }
    const entry = this.dynamic[index - STATIC_ENTRIES - 1];
    if (entry) return { name: entry.name, value: entry.value, nameLength: entry.nameLength };
    if (this.historyLost) {
      return {
        error: 'dynamic-entry-before-gap',
        label: `Dynamic table entry ${index} was added before a gap in the recording`,
        labelRu: `Запись ${index} динамической таблицы добавлена до пропуска в записи трафика`,
      };
    }
    return {
      error: 'index-out-of-range',
      label: `Index ${index} is past the end of the table (${STATIC_ENTRIES} static + ${this.dynamic.length} dynamic entries)`,
      labelRu: `Индекс ${index} за концом таблицы (${STATIC_ENTRIES} статических + ${this.dynamic.length} динамических записей)`,
    };
  }

  private readString(
    reader: BlockReader,
    offsets: PayloadOffsets,
    what: 'name' | 'value',
  ): { text: string; length: number; node: WireNode } | { error: string } {
    const start = reader.position;
    if (start >= reader.bytes.length) return { error: 'truncated-integer' };
    const huffmanCoded = (reader.bytes[start] & 0x80) !== 0;
    const length = reader.integer(7);
    if (length === undefined) return { error: 'truncated-integer' };
    const dataStart = reader.position;
    if (dataStart + length > reader.bytes.length) return { error: 'truncated-string' };
    reader.position += length;
    const raw = reader.bytes.subarray(dataStart, dataStart + length);
    let octets = raw;
    if (huffmanCoded) {
      const decoded = decodeHuffman(raw);
      if ('error' in decoded) return { error: decoded.error };
      octets = decoded.bytes;
    }
    const text = headerText(octets);
    const lengthNode = ru(
      {
        kind: 'hpack-string-length',
        label: huffmanCoded ? `H=1 Huffman-coded, ${length} bytes` : `H=0 raw octets, ${length} bytes`,
        value: huffmanCoded ? `${length} bytes → ${octets.length} characters` : `${length}`,
        range: rangeOf(offsets, start, dataStart),
      },
      huffmanCoded ? `H=1 код Хаффмана, ${bytesRu(length)}` : `H=0 байты как есть, ${bytesRu(length)}`,
      huffmanCoded ? `${bytesRu(length)} → ${countRu(octets.length, 'символ', 'символа', 'символов')}` : `${length}`,
    );
    const dataNode = ru(
      {
        kind: huffmanCoded ? 'hpack-huffman' : 'hpack-raw',
        label: huffmanCoded ? 'Huffman code' : 'octets',
        value: text,
        range: rangeOf(offsets, dataStart, reader.position),
      },
      huffmanCoded ? 'код Хаффмана' : 'байты',
    );
    const node = ru(
      {
        kind: what === 'name' ? 'hpack-name' : 'hpack-value',
        label: what === 'name' ? 'name' : 'value',
        value: text,
        range: rangeOf(offsets, start, reader.position),
        children: [lengthNode, dataNode],
      },
      what === 'name' ? 'имя' : 'значение',
    );
    return { text, length: octets.length, node };
  }

  private add(name: string, value: string, nameLength: number, valueLength: number): void {
    const size = nameLength + valueLength + ENTRY_OVERHEAD;
    this.dynamic.unshift({ name, value, nameLength, size });
    this.size += size;
    this.evict();
  }

  private evict(): void {
    while (this.size > this.maxSize && this.dynamic.length > 0) {
      const oldest = this.dynamic.pop()!;
      this.size -= oldest.size;
    }
  }
}

const LITERAL_PATTERN: Record<HpackField['representation'], string> = {
  indexed: '1·······',
  'literal-incremental-indexing': '01······',
  'literal-without-indexing': '0000····',
  'literal-never-indexed': '0001····',
};

const LITERAL_LABEL_RU: Record<HpackField['representation'], string> = {
  indexed: 'индексированное поле',
  'literal-incremental-indexing': 'литерал с индексированием (попадает в динамическую таблицу)',
  'literal-without-indexing': 'литерал без индексирования',
  'literal-never-indexed': 'литерал, который нельзя индексировать (чувствительное значение: посредникам запрещено его индексировать)',
};

const LITERAL_LABEL: Record<HpackField['representation'], string> = {
  indexed: 'indexed field',
  'literal-incremental-indexing': 'literal with incremental indexing (added to the dynamic table)',
  'literal-without-indexing': 'literal without indexing',
  'literal-never-indexed': 'literal never indexed (sensitive: intermediaries must not index it)',
};
