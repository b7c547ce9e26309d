import type { Bilingual } from '../../../shared/bilingual.ts';
import type { GeneratedCode } from './generated.ts';
import { tokenComment } from './generated.ts';
import { hostPort, literal } from './quote.ts';
import type { AsCodeTarget, GrpcSpec } from './spec.ts';

// One RPC in Go: grpc-go (native gRPC over h2c, whatever protocol the cell speaks: grpc-go speaks
// no other), with stubs made by Debian's protoc + protoc-gen-go + protoc-gen-go-grpc. Built the
// Debian way, offline: GOPATH mode (GO111MODULE=off), the stubs in ./gopath/src, grpc-go and
// protobuf-go from the golang-google-*-dev packages in /usr/share/gocode.

const SANDBOX_HEADER = 'x-wirelab-sandbox';

/**
 * Every .proto file of the project with a service (proto/, outside vendor/): the stubs command
 * makes them all at once, so any method a cell can call has its stubs (the two .proto files of
 * wirelab.lab.v1 are one Go package). as-code.test.ts checks the list against proto/.
 */
export const GO_STUB_PROTOS = [
  'grpc/health/v1/health.proto',
  'grpc/reflection/v1/reflection.proto',
  'grpc/reflection/v1alpha/reflection.proto',
  'wirelab/lab/v1/lab.proto',
  'wirelab/lab/v1/lifecycle.proto',
  'wirelab/users/v1/users.proto',
] as const;

/** Where the stubs' Go packages live under gopath/src: the .proto file's folder under this prefix. */
const GO_STUBS_ROOT = 'wirelabpb';

const protoFolder = (protoFile: string) => protoFile.slice(0, protoFile.lastIndexOf('/'));
export const goImportPath = (protoFile: string) => `${GO_STUBS_ROOT}/${protoFolder(protoFile)}`;
/** "wirelab/users/v1/users.proto" → "usersv1": the last two folders, as buf's managed mode names them. */
export const goPackageName = (protoFile: string) =>
  protoFolder(protoFile)
    .split('/')
    .slice(-2)
    .join('')
    .replace(/[^A-Za-z0-9]/g, '');

/**
 * The .proto files have no go_package option (they are shared with the TypeScript and Python
 * stubs): protoc-gen-go is told each file's Go package by an M option instead. The Google files
 * they import (google/api, google/rpc, google/protobuf) have go_package: Debian's genproto and
 * protobuf-go packages.
 */
const GO_PACKAGE_OPTIONS = GO_STUB_PROTOS.map((file) => `M${file}=${goImportPath(file)};${goPackageName(file)}`).join(',');

/** The Go stubs of every service, run beside proto/: packages wirelabpb/… under ./gopath/src. */
export const GO_STUBS_COMMAND = [
  `M='${GO_PACKAGE_OPTIONS}';`,
  'mkdir -p gopath/src &&',
  'protoc -I proto/vendor -I proto --go_out=gopath/src --go-grpc_out=gopath/src --go_opt="$M" --go-grpc_opt="$M"',
  ...GO_STUB_PROTOS.map((file) => `proto/${file}`),
].join(' ');

/**
 * Debian bookworm's grpc-go (1.33) marshals messages with github.com/golang/protobuf: its 1.3
 * package, which apt picks by default, cannot marshal what today's protoc-gen-go writes (a oneof
 * panics); 1.5 (golang-github-golang-protobuf-1-5-dev, which replaces 1.3) hands them to protobuf-go.
 */
export const GO_GRPC_INSTALL =
  'sudo apt install golang protobuf-compiler libprotobuf-dev protoc-gen-go protoc-gen-go-grpc golang-google-grpc-dev golang-google-protobuf-dev golang-google-genproto-dev golang-github-golang-protobuf-1-5-dev';
export const GO_GRPC_RUN = 'GO111MODULE=off GOPATH="$PWD/gopath:/usr/share/gocode" go run call.go';

/** protoc-gen-go's GoCamelCase (google.golang.org/protobuf/internal/strs): how a proto name becomes a Go identifier. */
export function goCamelCase(name: string): string {
  const isLower = (c: string | undefined) => c !== undefined && c >= 'a' && c <= 'z';
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === '.' && isLower(name[i + 1])) continue;
    if (c === '.') out += '_';
    else if (c === '_' && (i === 0 || name[i - 1] === '.')) out += 'X';
    else if (c === '_' && isLower(name[i + 1])) continue;
    else if (c >= '0' && c <= '9') out += c;
    else {
      out += c.toUpperCase();
      while (isLower(name[i + 1])) out += name[++i];
    }
  }
  return out;
}

const serviceOf = (spec: GrpcSpec) => spec.method.slice(0, spec.method.indexOf('/'));
const methodName = (spec: GrpcSpec) => spec.method.slice(spec.method.indexOf('/') + 1);
const packageOf = (spec: GrpcSpec) => serviceOf(spec).slice(0, serviceOf(spec).lastIndexOf('.'));
/** The input message's Go type: its name inside the service's package (a nested message: Outer_Inner). */
const inputType = (spec: GrpcSpec) => `${goPackageName(spec.protoFile)}.${goCamelCase(spec.input.slice(packageOf(spec).length + 1))}`;

const sendsStream = (spec: GrpcSpec) => spec.methodKind === 'client_streaming' || spec.methodKind === 'bidi_streaming';
const receivesStream = (spec: GrpcSpec) => spec.methodKind === 'server_streaming' || spec.methodKind === 'bidi_streaming';

/** The call itself, by kind: the one request message sent, every reply printed, a failed status printed as code and message. */
function callLines(spec: GrpcSpec): string[] {
  const method = `client.${goCamelCase(methodName(spec))}`;
  const printStatus = ['\tif err != nil {', '\t\tfmt.Println(status.Code(err), status.Convert(err).Message())', '\t}'];
  const receiveAll = [
    '\tfor err == nil {',
    '\t\treply, received := stream.Recv()',
    '\t\tif received == io.EOF {',
    '\t\t\tbreak // the server ended the stream with OK',
    '\t\t}',
    '\t\tif err = received; err == nil {',
    '\t\t\tfmt.Println(protojson.Format(reply))',
    '\t\t}',
    '\t}',
  ];
  switch (spec.methodKind) {
    case 'unary':
      return [`\treply, err := ${method}(ctx, request)`, '\tif err == nil {', '\t\tfmt.Println(protojson.Format(reply))', '\t}', ...printStatus];
    case 'server_streaming':
      return [`\tstream, err := ${method}(ctx, request)`, ...receiveAll, ...printStatus];
    case 'client_streaming':
      return [
        `\tstream, err := ${method}(ctx)`,
        '\tif err == nil {',
        '\t\terr = stream.Send(request)',
        '\t}',
        '\tif err == nil {',
        '\t\treply, received := stream.CloseAndRecv()',
        '\t\tif err = received; err == nil {',
        '\t\t\tfmt.Println(protojson.Format(reply))',
        '\t\t}',
        '\t}',
        ...printStatus,
      ];
    case 'bidi_streaming':
      return [
        `\tstream, err := ${method}(ctx)`,
        '\tif err == nil {',
        '\t\terr = stream.Send(request)',
        '\t}',
        '\tif err == nil {',
        '\t\terr = stream.CloseSend() // the one message sent: the server sees the end of the request stream',
        '\t}',
        ...receiveAll,
        ...printStatus,
      ];
  }
}

function goImports(spec: GrpcSpec): string[] {
  const standard = ['context', 'fmt', ...(receivesStream(spec) ? ['io'] : []), 'time'];
  const libraries = [
    'google.golang.org/grpc',
    'google.golang.org/grpc/metadata',
    'google.golang.org/grpc/status',
    'google.golang.org/protobuf/encoding/protojson',
  ];
  return [
    'import (',
    ...standard.map((path) => `\t${literal(path)}`),
    '',
    ...libraries.map((path) => `\t${literal(path)}`),
    '',
    `\t${goPackageName(spec.protoFile)} ${literal(goImportPath(spec.protoFile))}`,
    ')',
  ];
}

export function grpcAsGo(spec: GrpcSpec, target: AsCodeTarget): GeneratedCode {
  const { host, port } = hostPort(target.origin);
  const metadataPairs = [`${literal(SANDBOX_HEADER)}, token`, ...spec.metadata.map(([name, value]) => `${literal(name)}, ${literal(value)}`)].join(', ');
  const code = [
    `// Stubs, once, beside proto/: ${GO_STUBS_COMMAND}`,
    `// Run: ${GO_GRPC_RUN}`,
    'package main',
    '',
    ...goImports(spec),
    '',
    'func main() {',
    `\ttoken := ${literal(target.token)} // ${tokenComment(target.lang)}`,
    `\trequest := &${inputType(spec)}{}`,
    `\tif err := protojson.Unmarshal([]byte(${literal(JSON.stringify(spec.request))}), request); err != nil {`,
    '\t\tpanic(err)',
    '\t}',
    "\t// connected first (at most 10 s): the deadline below is the call's alone",
    '\tdialing, stopDialing := context.WithTimeout(context.Background(), 10*time.Second)',
    '\tdefer stopDialing()',
    `\tconnection, err := grpc.DialContext(dialing, ${literal(`${host}:${port}`)}, grpc.WithInsecure(), grpc.WithBlock())`,
    '\tif err != nil {',
    '\t\tpanic(err)',
    '\t}',
    '\tdefer connection.Close()',
    `\tclient := ${goPackageName(spec.protoFile)}.New${goCamelCase(serviceOf(spec).slice(packageOf(spec).length + 1))}Client(connection)`,
    `\tctx := metadata.AppendToOutgoingContext(context.Background(), ${metadataPairs})`,
    ...(spec.timeoutMs !== undefined
      ? [`\tctx, cancel := context.WithTimeout(ctx, ${spec.timeoutMs}*time.Millisecond) // sent as grpc-timeout`, '\tdefer cancel()']
      : []),
    ...callLines(spec),
    '}',
    '',
  ].join('\n');
  return {
    language: 'go',
    tool: 'grpc-go',
    code,
    fileName: 'call.go',
    install: GO_GRPC_INSTALL,
    run: GO_GRPC_RUN,
    notes: sendsStream(spec) ? [] : [nativeGrpcNote(spec)],
  };
}

const PROTOCOL_NAMES: Record<GrpcSpec['protocol'], string> = { 'connect-json': 'Connect (JSON)', 'connect-binary': 'Connect (binary)', 'grpc-web': 'gRPC-Web' };

/** The page's cell speaks a browser protocol; grpc-go speaks gRPC alone. */
function nativeGrpcNote(spec: GrpcSpec): Bilingual {
  const name = PROTOCOL_NAMES[spec.protocol];
  return {
    en: `The cell speaks ${name}; grpc-go speaks only gRPC over HTTP/2 (here h2c, without TLS): the same method, metadata and message, framed the gRPC way.`,
    ru: `Ячейка говорит на ${name}, а grpc-go — только на gRPC поверх HTTP/2 (здесь h2c, без TLS): тот же метод, те же метаданные и сообщение, но в кадрах gRPC.`,
  };
}
