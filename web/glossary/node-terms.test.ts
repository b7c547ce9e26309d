import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_KINDS_WITH_TERMS, nodeTermTitle } from './node-terms.ts';

const WIRE = join(import.meta.dirname, '..', '..', 'wire');

/** Every name the decoders' sources write as a literal (`kind: '…'`, `varintNode(…, 'pb-tag', …)`), tests apart. */
function wireKinds(dir: string): Set<string> {
  const kinds = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    for (const match of readFileSync(join(entry.parentPath, entry.name), 'utf8').matchAll(/'([a-z0-9-]+)'/g)) kinds.add(match[1]);
  }
  return kinds;
}

describe('the inspector’s nodes named by a glossary term', () => {
  it('are node kinds the decoders write, each with a term in both languages', () => {
    const kinds = wireKinds(WIRE);
    // what the HTTP/1.1 tree's own nodes are called (web/inspector/exchange-sections.ts)
    for (const kind of ['method', 'status-code']) kinds.add(kind);
    for (const kind of NODE_KINDS_WITH_TERMS) {
      expect(kinds.has(kind), kind).toBe(true);
      for (const lang of ['en', 'ru'] as const) expect(nodeTermTitle(kind, lang), `${kind} ${lang}`).toBeTruthy();
    }
  });

  it('gives the term’s name and its definition without the glossary’s backticks, and nothing for other nodes', () => {
    expect(nodeTermTitle('ws-opcode', 'ru')).toMatch(/^opcode: Четыре бита/);
    expect(nodeTermTitle('ws-frame', 'en')).toMatch(/^frame: One unit/);
    expect(nodeTermTitle('pb-tag', 'en')).not.toContain('`');
    expect(nodeTermTitle('header', 'en')).toBeUndefined();
    expect(nodeTermTitle('toString', 'en')).toBeUndefined();
  });
});
