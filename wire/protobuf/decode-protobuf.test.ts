import { create, createFileRegistry, toBinary, type DescMessage } from '@bufbuild/protobuf';
import { FieldDescriptorProto_Label, FieldDescriptorProto_Type, FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { Role, UserSchema, UserStatus } from '../../proto/gen/wirelab/users/v1/users_pb.ts';
import { contiguousOffsets } from '../payload-layers.ts';
import type { WireNode } from '../types.ts';
import { decodeProtobuf, parsesCleanly, PROTOBUF_MAX_DEPTH } from './decode-protobuf.ts';
import { methodForPath } from './schema.ts';

// A message with the scalar types Wirelab's own contracts do not use (sint, fixed, float…),
// described in the test and encoded by @bufbuild/protobuf's toBinary.
const { SINT32, SINT64, FIXED32, SFIXED64, DOUBLE, FLOAT, INT32, BOOL, BYTES, MESSAGE } = FieldDescriptorProto_Type;
const OPTIONAL = FieldDescriptorProto_Label.OPTIONAL;
const REPEATED = FieldDescriptorProto_Label.REPEATED;
const file = create(FileDescriptorProtoSchema, {
  name: 'test/scalars.proto',
  package: 'test',
  syntax: 'proto3',
  messageType: [
    {
      name: 'Scalars',
      field: [
        { name: 'small', number: 1, type: SINT32, label: OPTIONAL, jsonName: 'small' },
        { name: 'big', number: 2, type: SINT64, label: OPTIONAL, jsonName: 'big' },
        { name: 'fixed', number: 3, type: FIXED32, label: OPTIONAL, jsonName: 'fixed' },
        { name: 'sfixed', number: 4, type: SFIXED64, label: OPTIONAL, jsonName: 'sfixed' },
        { name: 'ratio', number: 5, type: DOUBLE, label: OPTIONAL, jsonName: 'ratio' },
        { name: 'weight', number: 6, type: FLOAT, label: OPTIONAL, jsonName: 'weight' },
        { name: 'negative', number: 7, type: INT32, label: OPTIONAL, jsonName: 'negative' },
        { name: 'flag', number: 8, type: BOOL, label: OPTIONAL, jsonName: 'flag' },
        { name: 'blob', number: 9, type: BYTES, label: OPTIONAL, jsonName: 'blob' },
        { name: 'numbers', number: 10, type: SINT32, label: REPEATED, jsonName: 'numbers' },
        { name: 'child', number: 11, type: MESSAGE, typeName: '.test.Scalars', label: OPTIONAL, jsonName: 'child' },
      ],
    },
  ],
});
const Scalars = createFileRegistry(file, () => undefined).getMessage('test.Scalars')!;

function field(node: WireNode, prefix: string): WireNode {
  const found = node.children?.find((child) => child.kind === 'pb-field' && child.label.startsWith(prefix));
  if (!found) throw new Error(`no field ${prefix} in ${node.children?.map((child) => child.label).join(', ')}`);
  return found;
}

const decode = (bytes: Uint8Array, schema?: DescMessage) => decodeProtobuf(bytes, contiguousOffsets(100), schema);

describe('protobuf with a schema', () => {
  const user = create(UserSchema, {
    id: 300,
    name: 'Грейс',
    status: UserStatus.ACTIVE,
    roles: [Role.ADMIN, Role.READER],
    metadata: { team: 'compilers' },
    phone: '',
    createdAt: { seconds: 1_700_000_000n, nanos: 5_000_000 },
  });
  const bytes = toBinary(UserSchema, user);
  const tree = decode(bytes, UserSchema);

  it('names fields and types; varints byte by byte with their continuation bits', () => {
    expect(tree).toMatchObject({ kind: 'pb-message', label: 'wirelab.users.v1.User', range: { start: 100, end: 100 + bytes.length } });
    const id = field(tree, '1 id');
    expect(id).toMatchObject({ label: '1 id: uint32', value: '300', range: { start: 100, end: 103 } });
    const tag = id.children![0];
    expect(tag).toMatchObject({ kind: 'pb-tag', value: 'field 1 · wire type 0 VARINT' });
    const value = id.children![1];
    // 300 = 0xac 0x02: the first byte has its continuation bit set
    expect(value.children?.map((byte) => byte.label)).toEqual(['0xac = 1·0101100', '0x02 = 0·0000010']);
    expect(value.children?.[0].value).toMatch(/^more bytes follow/);
    expect(value.children?.[1].value).toMatch(/^last byte.*2 × 2\^7/);
  });

  it('strings, enums, packed repeated enums, maps, optional fields that are set, timestamps', () => {
    expect(field(tree, '2 name').value).toBe('"Грейс"');
    expect(field(tree, '4 status').value).toBe('USER_STATUS_ACTIVE (1)');
    const roles = field(tree, '5 roles');
    expect(roles.value).toBe('[ROLE_ADMIN (1), ROLE_READER (4)]');
    expect(roles.children?.find((child) => child.kind === 'pb-packed')?.children).toHaveLength(2);
    const entry = field(tree, '6 metadata');
    expect(entry.value).toBe('"team" → "compilers"');
    expect(entry.children?.find((child) => child.kind === 'pb-map-entry')?.children?.map((child) => child.label)).toEqual(['1 key: string', '2 value: string']);
    // optional with presence: an empty string is on the wire
    expect(field(tree, '7 phone').value).toBe('""');
    expect(field(tree, '8 created_at').value).toBe('2023-11-14T22:13:20.005Z');
  });

  it('a field number the schema does not know is shown as unknown', () => {
    const withUnknown = Uint8Array.from([...bytes, 0x48, 0x07]); // field 9 (reserved "nickname"), varint 7
    expect(field(decode(withUnknown, UserSchema), '9').label).toBe('9 (unknown field: not in the schema)');
  });

  it('sint zigzag, fixed32, sfixed64, double, float, negative int32 (10 bytes), bool, bytes, packed sint32', () => {
    const message = create(Scalars, {
      small: -3,
      big: -1234567890123n,
      fixed: 4_000_000_000,
      sfixed: -2n,
      ratio: 0.5,
      weight: 1.5,
      negative: -1,
      flag: true,
      blob: Uint8Array.from([0xde, 0xad]),
      numbers: [-1, 1, -64],
    });
    const decoded = decode(toBinary(Scalars, message), Scalars);
    expect(field(decoded, '1 small').value).toBe('-3 (zigzag: 5 → -3)');
    expect(field(decoded, '2 big').value).toBe('-1234567890123 (zigzag: 2469135780245 → -1234567890123)');
    expect(field(decoded, '3 fixed')).toMatchObject({ label: '3 fixed: fixed32', value: '4000000000' });
    expect(field(decoded, '4 sfixed').value).toBe('-2');
    expect(field(decoded, '5 ratio').value).toBe('0.5');
    expect(field(decoded, '6 weight').value).toBe('1.5');
    const negative = field(decoded, '7 negative');
    expect(negative.value).toBe('-1');
    expect(negative.children?.[1].children).toHaveLength(10);
    expect(field(decoded, '8 flag').value).toBe('true');
    expect(field(decoded, '9 blob').children?.find((child) => child.kind === 'pb-bytes')?.value).toBe('de ad');
    expect(field(decoded, '10 numbers').value).toBe('[-1 (zigzag: 1 → -1), 1 (zigzag: 2 → 1), -64 (zigzag: 127 → -64)]');
  });
});

describe('protobuf without a schema', () => {
  it('shows numbers, wire types and guesses: nested message, string, every reading of a varint and a fixed', () => {
    const user = toBinary(UserSchema, create(UserSchema, { id: 7, name: 'Ada', createdAt: { seconds: 10n } }));
    const scalars = toBinary(Scalars, create(Scalars, { small: -3, fixed: 1, ratio: 0.5 }));
    const raw = decode(Uint8Array.from([...user, ...scalars]));
    expect(raw.label).toMatch(/no schema/);
    expect(field(raw, '1').value).toBe('7 · as sint (zigzag): -4');
    expect(field(raw, '2').children?.find((child) => child.kind === 'pb-string')?.value).toBe('"Ada"');
    expect(field(raw, '8').children?.find((child) => child.kind === 'pb-message')?.label).toMatch(/nested message\?/);
    expect(field(raw, '3').value).toBe('1 · as int32: 1 · as float: 1.401298464324817e-45');
    expect(field(raw, '5').value).toMatch(/as double: 0\.5$/);
  });

  it('clear errors: truncated varint, length past the end, invalid wire type, field 0', () => {
    expect(decode(Uint8Array.from([0x08, 0x96])).children?.[0]).toMatchObject({ kind: 'pb-error', error: 'truncated-varint', range: { start: 100, end: 102 } });
    expect(decode(Uint8Array.from([0x12, 0x05, 0x41])).children?.[0]).toMatchObject({ kind: 'pb-error', error: 'length-past-end' });
    expect(decode(Uint8Array.from([0x0f, 0x00])).children?.[0].error).toBe('invalid-wire-type');
    expect(decode(Uint8Array.from([0x00])).children?.[0].error).toBe('invalid-field-number');
    expect(decode(Uint8Array.from([0x08, 0x96])).error).toBe('truncated-varint');
    expect(parsesCleanly(Uint8Array.from([0x12, 0x05, 0x41]))).toBe(false);
  });

  it('stops nesting at PROTOBUF_MAX_DEPTH', () => {
    let bytes = Uint8Array.from([0x08, 0x01]);
    for (let level = 0; level < PROTOBUF_MAX_DEPTH + 5; level += 1) bytes = Uint8Array.from([0x5a, bytes.length, ...bytes]);
    const decoded = decode(bytes, Scalars);
    let depth = 0;
    let node: WireNode | undefined = decoded;
    while (node) {
      const child: WireNode | undefined = node.children
        ?.find((candidate) => candidate.kind === 'pb-field')
        ?.children?.find((candidate) => candidate.kind === 'pb-message' || candidate.kind === 'pb-bytes');
      if (child?.kind === 'pb-bytes') {
        expect(child.label).toMatch(/nested deeper than/);
        break;
      }
      node = child;
      depth += 1;
    }
    expect(depth).toBe(PROTOBUF_MAX_DEPTH);
  });
});

describe('schema lookup', () => {
  it('finds a method by its request path', () => {
    expect(methodForPath('/wirelab.users.v1.UserService/GetUser')?.output.typeName).toBe('wirelab.users.v1.GetUserResponse');
    expect(methodForPath('/grpc.health.v1.Health/Check')?.input.typeName).toBe('grpc.health.v1.HealthCheckRequest');
    expect(methodForPath('/wirelab.users.v1.UserService/Nope')).toBeUndefined();
    expect(methodForPath('/api/v1/users')).toBeUndefined();
  });
});
