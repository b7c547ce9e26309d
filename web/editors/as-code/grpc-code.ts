import type { AsCodeResult, GeneratedCode } from './generated.ts';
import { tokenComment } from './generated.ts';
import { grpcAsGo } from './grpc-go-code.ts';
import { httpAsCurl, httpAsGo } from './http-code.ts';
import type { AsCodeLanguage } from './languages.ts';
import { hostPort, literal, shellQuote } from './quote.ts';
import type { AsCodeTarget, GrpcSpec, HttpSpec } from './spec.ts';

// One RPC. Connect unary JSON is plain HTTP (curl, net/http); otherwise the terminal uses
// buf curl, Python grpcio with stubs made by Debian's protoc, Go grpc-go with stubs made by
// Debian's protoc-gen-go and protoc-gen-go-grpc (grpc-go-code.ts), JavaScript connect-node with stubs
// made by protoc-gen-es. The dialog's "get the protos" part (as-code-panel.tsx) says where the .proto files are.

const SANDBOX_HEADER = 'x-wirelab-sandbox';

/**
 * Stubs whose Python module is grpc.health.v1 (health.proto, and lifecycle.proto, which imports it):
 * grpcio's own package is also called grpc, so the program adds its stubs folder to that package's
 * path (Debian packages no grpcio-health-checking, whose module is grpc_health.v1).
 */
const HEALTH_PROTO = 'grpc/health/v1/health.proto';
const importsHealth = (protoFile: string) => protoFile === HEALTH_PROTO || protoFile === 'wirelab/lab/v1/lifecycle.proto';

const shortName = (typeName: string) => typeName.slice(typeName.lastIndexOf('.') + 1);
const serviceOf = (spec: GrpcSpec) => spec.method.slice(0, spec.method.indexOf('/'));
const methodName = (spec: GrpcSpec) => spec.method.slice(spec.method.indexOf('/') + 1);
const lowerFirst = (name: string) => name[0].toLowerCase() + name.slice(1);
const sendsStream = (spec: GrpcSpec) => spec.methodKind === 'client_streaming' || spec.methodKind === 'bidi_streaming';
const receivesStream = (spec: GrpcSpec) => spec.methodKind === 'server_streaming' || spec.methodKind === 'bidi_streaming';

/** The Connect unary JSON request the cell sends, as plain HTTP. */
export function connectHttpSpec(spec: GrpcSpec): HttpSpec {
  const headers: Array<[string, string]> = [['Content-Type', 'application/json'], ['Connect-Protocol-Version', '1'], ...spec.metadata];
  if (spec.timeoutMs !== undefined) headers.push(['Connect-Timeout-Ms', String(spec.timeoutMs)]);
  return { kind: 'http', method: 'POST', target: `/${spec.method}`, headers, body: JSON.stringify(spec.request) };
}

const isConnectJsonUnary = (spec: GrpcSpec) => spec.protocol === 'connect-json' && spec.methodKind === 'unary';

export function grpcAsCode(spec: GrpcSpec, language: AsCodeLanguage, target: AsCodeTarget): AsCodeResult {
  if (isConnectJsonUnary(spec) && (language === 'terminal' || language === 'go')) {
    const plain = language === 'terminal' ? httpAsCurl(connectHttpSpec(spec), target) : httpAsGo(connectHttpSpec(spec), target);
    return { ...plain, tool: `${plain.tool} (Connect)` };
  }
  switch (language) {
    case 'terminal':
      return grpcAsBufCurl(spec, target);
    case 'python':
      return grpcAsPython(spec, target);
    case 'javascript':
      return grpcAsConnectNode(spec, target);
    case 'go':
      return grpcAsGo(spec, target);
  }
}

function bufProtocol(spec: GrpcSpec): string {
  if (sendsStream(spec)) return 'grpc'; // a request stream needs HTTP/2 end to end
  return spec.protocol === 'grpc-web' ? 'grpcweb' : 'connect';
}

export function grpcAsBufCurl(spec: GrpcSpec, target: AsCodeTarget): GeneratedCode {
  // no --schema: buf curl asks the server's reflection service for the method's types
  const lines = [`npx buf curl --protocol ${bufProtocol(spec)} --http2-prior-knowledge`];
  for (const [name, value] of spec.metadata) lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  lines.push(`-H ${shellQuote(`${SANDBOX_HEADER}: ${target.token}`)}`);
  // the reflection call goes on the same HTTP/2 connection: in the same sandbox, so that connection is recorded in the student's inspector
  lines.push(`--reflect-header ${shellQuote(`${SANDBOX_HEADER}: ${target.token}`)}`);
  if (spec.timeoutMs !== undefined) lines.push(`--timeout ${spec.timeoutMs / 1000}s`);
  lines.push(`-d ${shellQuote(JSON.stringify(spec.request))}`);
  lines.push(shellQuote(`${target.origin}/${spec.method}`));
  return {
    language: 'terminal',
    tool: 'buf curl',
    code: lines.join(' \\\n  '),
    fileName: null,
    install: 'npm install @bufbuild/buf',
    run: null,
    notes: [],
  };
}

/** protoc for the Python stubs of one .proto, with the vendored Google files it imports. */
export function pythonProtocCommand(protoFile: string): string {
  const files = protoFile !== HEALTH_PROTO && importsHealth(protoFile) ? `proto/${protoFile} proto/${HEALTH_PROTO}` : `proto/${protoFile}`;
  return `protoc -I proto/vendor -I proto --python_out=. --grpc_python_out=. --plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin ${files} proto/vendor/google/api/*.proto proto/vendor/google/rpc/*.proto`;
}

export function grpcAsPython(spec: GrpcSpec, target: AsCodeTarget): GeneratedCode {
  const modulePath = spec.protoFile.replace(/\.proto$/, '').split('/');
  const module = modulePath.pop() ?? '';
  const { host, port } = hostPort(target.origin);
  const call = `stub.${methodName(spec)}(${sendsStream(spec) ? 'iter([request])' : 'request'}, metadata=metadata${spec.timeoutMs !== undefined ? `, timeout=${spec.timeoutMs / 1000}` : ''})`;
  const code = [
    `# Stubs, once, beside proto/: ${pythonProtocCommand(spec.protoFile)}`,
    'import json',
    ...(importsHealth(spec.protoFile) ? ['import os'] : []),
    '',
    'import grpc',
    ...(importsHealth(spec.protoFile)
      ? [
          "# the stubs of grpc.health.v1 are in ./grpc beside this file, and grpcio's own package is also named grpc:",
          '# Python is told to look for grpc.health there too',
          "grpc.__path__.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'grpc'))",
        ]
      : []),
    'from google.protobuf import json_format',
    `from ${modulePath.join('.')} import ${module}_pb2, ${module}_pb2_grpc`,
    '',
    `TOKEN = ${literal(target.token)}  # ${tokenComment(target.lang)}`,
    '',
    `metadata = [(${literal(SANDBOX_HEADER)}, TOKEN)${spec.metadata.map(([name, value]) => `, (${literal(name)}, ${literal(value)})`).join('')}]`,
    `request = json_format.ParseDict(json.loads(${literal(JSON.stringify(spec.request))}), ${module}_pb2.${shortName(spec.input)}())`,
    `with grpc.insecure_channel(${literal(`${host}:${port}`)}) as channel:`,
    "    grpc.channel_ready_future(channel).result(timeout=10)  # connected first: the deadline is the call's alone",
    `    stub = ${module}_pb2_grpc.${shortName(serviceOf(spec))}Stub(channel)`,
    '    try:',
    ...(receivesStream(spec)
      ? [`        for reply in ${call}:`, '            print(json_format.MessageToJson(reply))']
      : [`        reply = ${call}`, '        print(json_format.MessageToJson(reply))']),
    '    except grpc.RpcError as error:',
    '        print(error.code(), error.details())',
    '',
  ].join('\n');
  return {
    language: 'python',
    tool: 'grpcio',
    code,
    fileName: 'call.py',
    install: 'sudo apt install python3-grpcio python3-protobuf protobuf-compiler-grpc',
    run: 'python3 call.py',
    notes: [],
  };
}

/** protoc-gen-es for every .proto of the project, run where buf.yaml and proto/ are; ES modules in gen/. */
export const JAVASCRIPT_STUBS_COMMAND = `npx buf generate --template '{"version":"v2","plugins":[{"local":"protoc-gen-es","out":"gen","opt":["import_extension=js"]}]}'`;

function connectTransport(spec: GrpcSpec): string {
  // a request stream needs HTTP/2; Node's HTTP/2 client speaks it in cleartext (h2c)
  if (sendsStream(spec)) return 'createGrpcTransport({ baseUrl: BASE_URL })';
  if (spec.protocol === 'grpc-web') return 'createGrpcWebTransport({ baseUrl: BASE_URL, httpVersion: "1.1" })';
  return `createConnectTransport({ baseUrl: BASE_URL, httpVersion: "1.1"${spec.protocol === 'connect-binary' ? ', useBinaryFormat: true' : ''} })`;
}

export function grpcAsConnectNode(spec: GrpcSpec, target: AsCodeTarget): GeneratedCode {
  const genModule = `./gen/${spec.protoFile.replace(/\.proto$/, '_pb.js')}`;
  const service = shortName(serviceOf(spec));
  const inputSchema = `${shortName(spec.input)}Schema`;
  const outputSchema = `${shortName(spec.output)}Schema`;
  const factory = /createGrpcTransport/.test(connectTransport(spec))
    ? 'createGrpcTransport'
    : spec.protocol === 'grpc-web'
      ? 'createGrpcWebTransport'
      : 'createConnectTransport';
  const options = `{ headers: { ${literal(SANDBOX_HEADER)}: TOKEN${spec.metadata.map(([name, value]) => `, ${literal(name)}: ${literal(value)}`).join('')} }${spec.timeoutMs !== undefined ? `, timeoutMs: ${spec.timeoutMs}` : ''} }`;
  const argument = sendsStream(spec) ? '(async function* () { yield request; })()' : 'request';
  const call = `client.${lowerFirst(methodName(spec))}(${argument}, ${options})`;
  const code = [
    `// Stubs, once, beside proto/: ${JAVASCRIPT_STUBS_COMMAND}`,
    'import { createClient } from "@connectrpc/connect";',
    `import { ${factory} } from "@connectrpc/connect-node";`,
    'import { fromJson, toJson } from "@bufbuild/protobuf";',
    `import { ${service}, ${inputSchema}, ${outputSchema} } from ${literal(genModule)};`,
    '',
    `const TOKEN = ${literal(target.token)}; // ${tokenComment(target.lang)}`,
    `const BASE_URL = ${literal(target.origin)};`,
    '',
    `const client = createClient(${service}, ${connectTransport(spec)});`,
    `const request = fromJson(${inputSchema}, ${JSON.stringify(spec.request)});`,
    ...(receivesStream(spec)
      ? [`for await (const reply of ${call}) {`, `  console.log(JSON.stringify(toJson(${outputSchema}, reply)));`, '}']
      : [`const reply = await ${call};`, `console.log(JSON.stringify(toJson(${outputSchema}, reply)));`]),
    '',
  ].join('\n');
  return {
    language: 'javascript',
    tool: 'connect-node',
    code,
    fileName: 'call.mjs',
    install: 'npm install @connectrpc/connect @connectrpc/connect-node @bufbuild/protobuf @bufbuild/buf @bufbuild/protoc-gen-es',
    run: 'node call.mjs',
    notes: [],
  };
}
