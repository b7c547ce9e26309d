import { create, createFileRegistry, type DescMessage, type FileRegistry, type MessageInitShape } from '@bufbuild/protobuf';
import { FieldDescriptorProto_Label, FieldDescriptorProto_Type, FieldDescriptorProtoSchema, FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';

// Wirelab's services use no sint32, fixed32, double or unpacked repeated fields, yet those are
// exactly what the protobuf lesson must show byte by byte. This file exists only in the
// workbench; it is built from a FileDescriptorProto (what protoc hands its plugins), so the
// encoding comes from @bufbuild/protobuf like every real message's.
//
//   syntax = "proto3";
//   package wirelab.workbench.v1;
//   message Numbers {
//     int32 int32_value = 1;  sint32 sint32_value = 2;  int64 int64_value = 3;
//     sint64 sint64_value = 4;  uint32 uint32_value = 5;  fixed32 fixed32_value = 6;
//     double double_value = 7;  bool flag = 8;  float float_value = 9;
//   }
//   message Lists {
//     repeated int32 packed_numbers = 1;          // proto3: packed by default
//     repeated string tags = 2;
//     repeated int32 unpacked_numbers = 3 [packed = false];
//   }

export const TEACHING_PROTO_FILE = 'wirelab/workbench/v1/workbench.proto';
export const TEACHING_PACKAGE = 'wirelab.workbench.v1';

const { OPTIONAL, REPEATED } = FieldDescriptorProto_Label;
const T = FieldDescriptorProto_Type;

type FieldInit = MessageInitShape<typeof FieldDescriptorProtoSchema>;

function field(name: string, number: number, type: FieldDescriptorProto_Type, label = OPTIONAL, packed?: boolean): FieldInit {
  // protoc fills json_name; a hand-built descriptor must too, or the JSON mapping knows no camelCase names
  const jsonName = name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
  const shape: FieldInit = { name, number, type, label, jsonName };
  if (packed !== undefined) shape.options = { packed };
  return shape;
}

let registry: FileRegistry | undefined;

function teachingRegistry(): FileRegistry {
  registry ??= createFileRegistry(
    create(FileDescriptorProtoSchema, {
      name: TEACHING_PROTO_FILE,
      package: TEACHING_PACKAGE,
      syntax: 'proto3',
      messageType: [
        {
          name: 'Numbers',
          field: [
            field('int32_value', 1, T.INT32),
            field('sint32_value', 2, T.SINT32),
            field('int64_value', 3, T.INT64),
            field('sint64_value', 4, T.SINT64),
            field('uint32_value', 5, T.UINT32),
            field('fixed32_value', 6, T.FIXED32),
            field('double_value', 7, T.DOUBLE),
            field('flag', 8, T.BOOL),
            field('float_value', 9, T.FLOAT),
          ],
        },
        {
          name: 'Lists',
          field: [field('packed_numbers', 1, T.INT32, REPEATED), field('tags', 2, T.STRING, REPEATED), field('unpacked_numbers', 3, T.INT32, REPEATED, false)],
        },
      ],
    }),
    () => undefined,
  );
  return registry;
}

/** The workbench's own message types: wirelab.workbench.v1.Numbers and .Lists. */
export function teachingMessages(): DescMessage[] {
  return [...teachingRegistry()].filter((type): type is DescMessage => type.kind === 'message');
}
