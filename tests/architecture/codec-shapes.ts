// What a codec of a wire format looks like in the source, so that codecs-in-wire.test.ts can find
// one written outside wire/: by the name of what it defines, by the byte-level code such a codec
// is made of, and by the shapes of a parser (a frame header read by offset, lines and fields split
// by hand, a table of opcodes, a close code written as a number where wire/ names it). A
// heuristic on purpose (the same rule is written in different words), kept narrow so that each
// finding is a real codec or a listed exception.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import ts from 'typescript';
import { TRANSPORT_WS_CLOSE } from '../../wire/graphql/transport-ws-messages.ts';
import { GOING_AWAY } from '../../wire/websocket/close-codes.ts';
import { ROOT } from './function-lengths.ts';

export interface CodecShape {
  /** short name of the rule, the allow-list's key with the file */
  rule: string;
  /** what the rule finds, for the failure message */
  what: string;
}

/** Names of functions, methods, classes and variables that define a codec. */
const NAME_RULES: Array<CodecShape & { name: RegExp }> = [
  {
    rule: 'frame-codec-name',
    what: 'an encoder/decoder of frames, envelopes or packets',
    name: /^(encode|decode|read|write|parse|build|frame)\w*(Frame|Envelope|Packet)s?$/i,
  },
  { rule: 'remaining-length', what: "the MQTT remaining length's codec", name: /remainingLength/i },
  {
    rule: 'mqtt-body-fields',
    what: "an MQTT body's 2-byte-length-prefixed fields read by hand (wire/mqtt/body-fields.ts's BodyFields)",
    name: /^lengthPrefixed$/i,
  },
  {
    rule: 'topic-rules',
    what: 'MQTT topic filter matching or checking',
    name: /^(topic\w*(Match|Matches|Violation|Error|Problem)|(check|validate)Topic\w*)$/i,
  },
];

/** Lines of byte-level code a codec is made of. */
const CODE_RULES: Array<CodecShape & { code: RegExp }> = [
  {
    rule: 'envelope-length',
    what: 'a 4-byte big-endian length at offset 1, after a flags byte (the gRPC / gRPC-Web / Connect envelope)',
    code: /\b(read|write)UInt32BE\((\s*[^,()]+,)?\s*1\s*\)|\b(get|set)Uint32\(\s*1\s*[,)]/,
  },
  {
    rule: 'seven-bit-length',
    what: 'a length in 7-bit groups, the high bit saying more follows (MQTT remaining length, WebSocket payload length)',
    code: /&\s*0x7f\b[^\n]*(\*\s*(128|2\s*\*\*)|<<\s*7)|%\s*128\b/,
  },
  {
    rule: 'websocket-length',
    what: "a WebSocket frame's payload length (7 bits, 126: 16 more, 127: 64 more)",
    code: /(===|<)\s*126\b|\[\s*126\s*,/,
  },
  { rule: 'sse-field', what: 'text/event-stream fields written by hand (wire/sse/encode-sse.ts writes them)', code: /`([^`\n]*\\n)?data: \$\{[^`\n]*\\n/ },
  // parsers (issue 56)
  {
    rule: 'h2-frame-header',
    what: "an HTTP/2 frame header read by offset: its 24-bit length or 31-bit stream id (wire/http2/frames.ts's readFrameHeader)",
    code: /\.readUIntBE\(\s*0\s*,\s*3\s*\)|&\s*0x7fffffff\b/,
  },
  {
    rule: 'close-code-read',
    what: "a WebSocket close code read from a payload by hand (wire/websocket/close-codes.ts's closeCodeOf)",
    code: /\bpayload\.readUInt16BE\(\s*0\s*\)|\bpayload\[0\]!?\s*<<\s*8\b/,
  },
  {
    rule: 'http-head-split',
    what: "an HTTP/1.1 head cut at its empty line or split into field lines by hand (wire/http1/http1-head.ts's readHttp1Head)",
    code: /indexOf\(\s*(['"])\\r\\n\\r\\n\1|\.split\(\s*(['"])\\r\\n\2\s*\)/,
  },
  {
    rule: 'sse-lines',
    what: "a text/event-stream split into lines or fields by hand (wire/sse/sse-stream-reader.ts's SseStreamReader)",
    code: /\.split\(\s*\/\\r\\n\|\\r\|\\n\/|startsWith\(\s*(['"])(data|event|id|retry):/,
  },
  {
    rule: 'opcode-table',
    what: "a protocol's table of type numbers: WebSocket opcodes (wire/websocket/opcodes.ts), HTTP/2 frame types (wire/http2/frames.ts)",
    code: /\bcontinuation\s*:\s*0(x0)?\b|\b(0x0|0)\s*:\s*(['"])continuation\3|\b(SETTINGS|WINDOW_UPDATE|GOAWAY|RST_STREAM|PUSH_PROMISE)\s*=\s*0x/,
  },
  {
    rule: 'length-headed-frame',
    what: "a 4-byte length at offset 0 before a JSON head: the capture channel's frame layout (contracts/capture-channel/messages.ts's encodeJsonHeadedFrame)",
    code: /\b(read|write)UInt32BE\(\s*(\w+(\.\w+)*\s*,\s*)?0\s*\)|\bgetUint32\(\s*0\s*\)|\bsetUint32\(\s*0\s*,/,
  },
  {
    rule: 'record-separator',
    what: "Engine.IO's record separator written by hand (wire/engine-io/decode-engine-io.ts's encodeEngineIoPayload)",
    code: /(['"])\\x1e\1|\\u001e|\b0x1e\b/,
  },
];

/** Close codes wire/ names (graphql-transport-ws's, RFC 6455's going away): written elsewhere as numbers, they are found. */
const NAMED_CLOSE_CODES = new Set<number>([...Object.values(TRANSPORT_WS_CLOSE), GOING_AWAY]);
/** RFC 6455 §7.4.1's close codes: wire/websocket/close-codes.ts names each. */
const isRfcCloseCode = (value: number): boolean => value >= 1000 && value <= 1015;

/** A number used as a value is compared, passed or switched on: `=== 4401`, `close(4408, …)`, `case 4409:` (a bound such as `< 4400` is not one). */
function usedAsValue(literal: ts.Node): boolean {
  const parent = literal.parent;
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent) || ts.isCaseClause(parent)) return true;
  if (!ts.isBinaryExpression(parent)) return false;
  const operator = parent.operatorToken.kind;
  return [
    ts.SyntaxKind.EqualsEqualsEqualsToken,
    ts.SyntaxKind.ExclamationEqualsEqualsToken,
    ts.SyntaxKind.EqualsEqualsToken,
    ts.SyntaxKind.ExclamationEqualsToken,
  ].includes(operator);
}

/** Close codes as numbers where wire/ names them, and tables of close codes' meanings (three or more RFC 6455 codes as keys). */
function closeCodeLiterals(source: ts.SourceFile, file: string): CodecFinding[] {
  const found: CodecFinding[] = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node: ts.Node) => {
    if (ts.isNumericLiteral(node) && NAMED_CLOSE_CODES.has(Number(node.text)) && usedAsValue(node)) {
      found.push({
        file,
        line: lineOf(node),
        rule: 'close-code-literal',
        text: `${node.text}: a close code wire/ names (TRANSPORT_WS_CLOSE, GOING_AWAY) written as a number`,
      });
    }
    if (ts.isObjectLiteralExpression(node)) {
      const keys = node.properties.filter((property) => property.name && ts.isNumericLiteral(property.name) && isRfcCloseCode(Number(property.name.text)));
      if (keys.length >= 3)
        found.push({
          file,
          line: lineOf(node),
          rule: 'close-code-table',
          text: `{ ${keys.length} close codes }: a table of close codes (wire/websocket/close-codes.ts's closeCodeText)`,
        });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function parse(text: string, file: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
}

function definedNames(source: ts.SourceFile): Array<{ name: string; line: number }> {
  const names: Array<{ name: string; line: number }> = [];
  const visit = (node: ts.Node) => {
    const named =
      ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isClassDeclaration(node)
        ? node.name
        : ts.isVariableDeclaration(node) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))
          ? node.name
          : undefined;
    if (named && (ts.isIdentifier(named) || ts.isPrivateIdentifier(named))) {
      names.push({ name: named.text, line: source.getLineAndCharacterOfPosition(named.getStart(source)).line + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

export interface CodecFinding {
  /** relative to the repository */
  file: string;
  line: number;
  rule: string;
  text: string;
}

/** The codec shapes in one file's text (`file` only names it). */
export function codecShapesIn(file: string, text: string): CodecFinding[] {
  const source = parse(text, file);
  const findings: CodecFinding[] = closeCodeLiterals(source, file);
  for (const { name, line } of definedNames(source)) {
    for (const rule of NAME_RULES) if (rule.name.test(name)) findings.push({ file, line, rule: rule.rule, text: `${name}: ${rule.what}` });
  }
  text.split('\n').forEach((code, index) => {
    for (const rule of CODE_RULES) if (rule.code.test(code)) findings.push({ file, line: index + 1, rule: rule.rule, text: `${code.trim()}: ${rule.what}` });
  });
  return findings;
}

/** The codec shapes of these files (absolute paths). */
export function codecFindings(files: string[]): CodecFinding[] {
  return files.flatMap((file) => codecShapesIn(relative(ROOT, file), readFileSync(file, 'utf8')));
}
