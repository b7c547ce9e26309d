// What a codec of a wire format looks like in the source, so that codecs-in-wire.test.ts can find
// one written outside wire/: by the name of what it defines, and by the byte-level code such a
// codec is made of. A heuristic on purpose (the same rule is written in different words), kept
// narrow so that each finding is a real codec or a listed exception.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import ts from 'typescript';
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
];

function definedNames(text: string, file: string): Array<{ name: string; line: number }> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
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
  const findings: CodecFinding[] = [];
  for (const { name, line } of definedNames(text, file)) {
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
