// Every chunk the browser downloads lazily is imported through importAgain (shared/import-again.ts):
// a dynamic import that fails once, while an instance dies behind the load balancer or the server
// restarts, is asked for again instead of blanking the page. Read from the sources, so that a new
// lazy part cannot forget it: each `import('…')` in web/ and wire/ is the body of the function
// given to importAgain, `importAgain(() => import('…'))`.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT, sourceFiles } from './function-lengths.ts';

/** "file:line import('…')" for each dynamic import of `file` that importAgain does not make. */
function importsNotAgain(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  // only a file whose text could hold a dynamic import is parsed: parsing all of web/ and wire/
  // took 4.7 s beside two busy cores, near the test's 5 s
  if (!/\bimport\s*\(/.test(text)) return [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arrow = node.parent;
      const call = arrow?.parent;
      const again =
        ts.isArrowFunction(arrow) &&
        arrow.body === node &&
        call &&
        ts.isCallExpression(call) &&
        ts.isIdentifier(call.expression) &&
        call.expression.text === 'importAgain';
      if (!again) {
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        found.push(`${relative(ROOT, file)}:${line} ${node.getText()}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('lazily loaded chunks', () => {
  const files = ['web', 'wire'].flatMap((folder) => sourceFiles(join(ROOT, folder)));

  it('are each imported through importAgain', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap(importsNotAgain)).toEqual([]);
  });

  it('are found where they are (the check sees a bare import)', () => {
    const bare = join(ROOT, 'tests/architecture/fixtures/bare-dynamic-import.ts');
    expect(importsNotAgain(bare)).toEqual([`${relative(ROOT, bare)}:3 import('./somewhere.ts')`]);
  });
});
