// The realtime consoles and the comparison lab were 180–375-line components repeating one
// toolbar, log and draft pattern (issue 23); they are now composed of web/editors/console-kit/.
// The gRPC and GraphQL cells (358 and 241 lines in one function) were split the same way: a hook
// that owns the calls and a component of small parts. This keeps them all so: no function, arrow or
// method in their folders over 150 lines.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FOLDERS = ['console-kit', 'websocket', 'socket-io', 'sse', 'long-polling', 'mqtt', 'pipeline', 'grpc', 'graphql'].map((name) => `web/editors/${name}`).concat('web/compare');
const MAX_FUNCTION_LINES = 150;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Every function of a file longer than the limit, as "file:line name (n lines)". */
function longFunctions(file: string, limit = MAX_FUNCTION_LINES): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const lines = source.getLineAndCharacterOfPosition(node.end).line - first + 1;
      const name = 'name' in node && node.name ? node.name.getText(source) : ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(source) : '(anonymous)';
      if (lines > limit) found.push(`${relative(ROOT, file)}:${first + 1} ${name} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

it(`no function of the consoles or the comparison lab is over ${MAX_FUNCTION_LINES} lines`, () => {
  const files = FOLDERS.flatMap((folder) => sourceFiles(join(ROOT, folder)));
  expect(files.length).toBeGreaterThan(20);
  expect(files.flatMap((file) => longFunctions(file))).toEqual([]);
});

it('finds a long function when there is one (the check can fail)', () => {
  const file = join(ROOT, 'web/editors/mqtt/use-mqtt-client.ts');
  expect(longFunctions(file, 100).some((line) => line.includes('useMqttClient'))).toBe(true);
});
