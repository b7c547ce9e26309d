import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { byteSegments, decodeBytes, encodeJson, findWorkbenchMessage, formatHex, parseHex, WORKBENCH_MAX_BYTES, workbenchMessages } from './workbench-model.ts';
import { parseProtobufCell } from './workbench-cell-config.ts';

function schema(name: string) {
  const found = findWorkbenchMessage(name);
  if (!found) throw new Error(`no ${name}`);
  return found;
}

describe('encodeJson', () => {
  it('encodes the classic example: field 1 = 150 is 08 96 01', () => {
    const result = encodeJson(schema('wirelab.workbench.v1.Numbers'), '{"int32Value": 150}');
    expect(result.ok && formatHex(result.bytes)).toBe('08 96 01');
  });

  it('zigzags sint32 and spends ten bytes on a negative int32', () => {
    const result = encodeJson(schema('wirelab.workbench.v1.Numbers'), '{"int32Value": -1, "sint32Value": -1}');
    expect(result.ok && formatHex(result.bytes)).toBe('08 ff ff ff ff ff ff ff ff ff 01 10 01');
  });

  it('packs repeated scalars into one length-delimited field unless told not to', () => {
    const result = encodeJson(schema('wirelab.workbench.v1.Lists'), '{"packedNumbers": [1, 2, 300], "unpackedNumbers": [1, 2]}');
    expect(result.ok && formatHex(result.bytes)).toBe('0a 04 01 02 ac 02 18 01 18 02');
  });

  it('compares with the compact JSON of the same value', () => {
    const result = encodeJson(schema('wirelab.users.v1.User'), '{ "id": 1, "name": "Ada" }');
    if (!result.ok) throw new Error(result.error.en);
    expect(result.compactJson).toBe('{"id":1,"name":"Ada"}');
    expect(result.jsonSize).toBe(21);
    expect(formatHex(result.bytes)).toBe('08 01 12 03 41 64 61');
  });

  it('explains in both languages why JSON does not fit the type', () => {
    const result = encodeJson(schema('wirelab.users.v1.User'), '{ "nickname": "x" }');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.en).toContain('nickname');
    expect(result.error.ru).toBe('Этот JSON не соответствует wirelab.users.v1.User: в нём нет поля «nickname»');
  });
});

describe('parseHex', () => {
  it('reads spaced, packed and 0x-prefixed hex', () => {
    for (const text of ['08 96 01', '089601', '0x08, 0x96, 0x01']) {
      const parsed = parseHex(text);
      expect(parsed.ok && [...parsed.bytes]).toEqual([0x08, 0x96, 0x01]);
    }
  });

  it('refuses an odd digit count and non-hex characters in both languages', () => {
    const odd = parseHex('08 9');
    const letter = parseHex('08 zz');
    expect(odd.ok || odd.error.ru).toContain('Нечётное');
    expect(letter.ok || letter.error.en).toContain('“z”');
  });

  it('stops at WORKBENCH_MAX_BYTES', () => {
    expect(parseHex('00'.repeat(WORKBENCH_MAX_BYTES)).ok).toBe(true);
    const tooMany = parseHex('00'.repeat(WORKBENCH_MAX_BYTES + 1));
    expect(tooMany.ok || tooMany.error.ru).toContain('Больше');
  });
});

describe('decodeBytes', () => {
  it('reads bytes back into JSON with the schema', () => {
    const parsed = parseHex('08 01 12 03 41 64 61');
    if (!parsed.ok) throw new Error('hex');
    const decoded = decodeBytes(schema('wirelab.users.v1.User'), parsed.bytes);
    expect(decoded.error).toBeUndefined();
    expect(JSON.parse(decoded.json ?? '')).toEqual({ id: 1, name: 'Ada' });
  });

  it('names a varint that never ends', () => {
    const decoded = decodeBytes(schema('wirelab.users.v1.User'), Uint8Array.of(0x08, 0x96));
    expect(decoded.error?.code).toBe('truncated-varint');
    expect(decoded.error?.text.ru).toContain('varint');
    expect(decoded.json).toBeUndefined();
  });

  it('names a length that runs past the end', () => {
    const decoded = decodeBytes(schema('wirelab.users.v1.User'), Uint8Array.of(0x12, 0x05, 0x41, 0x64));
    expect(decoded.error?.code).toBe('length-past-end');
    expect(decoded.error?.text.en).toContain('past the end');
  });

  it('decodes without a schema too', () => {
    const decoded = decodeBytes(undefined, Uint8Array.of(0x10, 0x01));
    expect(decoded.error).toBeUndefined();
    expect(decoded.json).toBeUndefined();
    expect(decoded.tree.children?.[0]?.kind).toBe('pb-field');
  });
});

describe('byteSegments', () => {
  it('cuts a message into tag, length and value pieces covering every byte once', () => {
    const encoded = encodeJson(schema('wirelab.users.v1.User'), '{ "id": 150, "name": "Ada" }');
    if (!encoded.ok) throw new Error(encoded.error.en);
    const segments = byteSegments(decodeBytes(schema('wirelab.users.v1.User'), encoded.bytes).tree);
    expect(segments.map((segment) => [segment.role, segment.start, segment.end])).toEqual([
      ['tag', 0, 1],
      ['value', 1, 3],
      ['tag', 3, 4],
      ['length', 4, 5],
      ['value', 5, 8],
    ]);
    expect(segments[0]?.caption.en).toContain('field 1');
    expect(segments[4]?.field.en).toContain('name');
    expect(segments[0]?.caption.ru).toContain('поле 1');
  });

  it('goes into nested messages', () => {
    const encoded = encodeJson(schema('wirelab.users.v1.GetUserResponse'), '{ "user": { "id": 1 } }');
    if (!encoded.ok) throw new Error(encoded.error.en);
    const segments = byteSegments(decodeBytes(schema('wirelab.users.v1.GetUserResponse'), encoded.bytes).tree);
    expect(segments.map((segment) => segment.role)).toEqual(['tag', 'length', 'tag', 'value']);
    expect(segments[3]?.field.en).toMatch(/user.*›.*id/);
  });
});

describe('cells of the lessons', () => {
  it('offers the teaching types and the services’ messages', () => {
    const names = workbenchMessages().map((type) => type.typeName);
    expect(names.slice(0, 2)).toEqual(['wirelab.workbench.v1.Numbers', 'wirelab.workbench.v1.Lists']);
    expect(names).toContain('wirelab.users.v1.User');
  });

  it('every *.pb.json cell names a known type and holds a value that encodes', () => {
    const lessons = new URL('../../../lessons/', import.meta.url);
    let seen = 0;
    for (const lesson of readdirSync(lessons, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
      const cells = new URL(`${lesson.name}/cells/`, lessons);
      let files: string[] = [];
      try {
        files = readdirSync(cells).filter((name) => name.endsWith('.pb.json'));
      } catch {
        continue;
      }
      for (const file of files) {
        const parsed = parseProtobufCell(readFileSync(new URL(file, cells), 'utf8'));
        if (!parsed.ok) throw new Error(`${lesson.name}/${file}: ${parsed.problems.join('; ')}`);
        const type = findWorkbenchMessage(parsed.config.message);
        expect(type, `${lesson.name}/${file}`).toBeDefined();
        if (type) expect(encodeJson(type, JSON.stringify(parsed.config.value)).ok, `${lesson.name}/${file}`).toBe(true);
        seen += 1;
      }
    }
    expect(seen).toBeGreaterThan(0);
  });
});

describe('parseProtobufCell', () => {
  it('accepts a type name and a value', () => {
    expect(parseProtobufCell('{ "message": "wirelab.users.v1.User", "value": { "id": 1 } }')).toEqual({
      ok: true,
      config: { message: 'wirelab.users.v1.User', value: { id: 1 } },
    });
  });

  it('names every problem of a malformed file', () => {
    const parsed = parseProtobufCell('{ "message": "User", "value": [1], "extra": true }');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toEqual([
      'unknown field "extra"',
      '"message" must be a full message type name, e.g. "wirelab.users.v1.User"',
      '"value" must be a JSON object (the message in protobuf JSON)',
    ]);
    expect(parseProtobufCell('not json').ok).toBe(false);
  });
});
