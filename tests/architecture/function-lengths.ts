import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The hand-written .ts/.tsx files below a folder: no tests, no declarations, no generated code (proto/gen). */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || relative(ROOT, path) === 'proto/gen' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.(test|d)\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

export interface FunctionLength {
  /** relative to the repository */
  file: string;
  line: number;
  /** its name, or the variable's it is assigned to, or "(anonymous)" */
  name: string;
  lines: number;
}

/** Every function, arrow and method of a file with a body, and how many lines it spans. */
export function functionLengths(file: string): FunctionLength[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const found: FunctionLength[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const lines = source.getLineAndCharacterOfPosition(node.end).line - first + 1;
      const name =
        'name' in node && node.name ? node.name.getText(source) : ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(source) : '(anonymous)';
      found.push({ file: relative(ROOT, file), line: first + 1, name, lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every function of a file longer than the limit, as "file:line name (n lines)". */
export function longFunctions(file: string, limit: number): string[] {
  return functionLengths(file)
    .filter((fn) => fn.lines > limit)
    .map((fn) => `${fn.file}:${fn.line} ${fn.name} (${fn.lines} lines)`);
}
