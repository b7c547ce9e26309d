// The root README is what a newcomer reads first, and the folder READMEs that took its long
// sections (issue 34) are where its links lead: every link and every repository path they name
// must lead somewhere, or the reader is lost on the first click. The root README stays short
// enough to read in five minutes.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ROOT_README_MAX_LINES = 300;
/** The root README and the folder READMEs that hold what it used to. */
const READMES = ['README.md', 'bench/README.md', 'deploy/README.md', 'server/README.md', 'tests/README.md', 'web/README.md'];

/** The first path segments of the tracked tree (`server`, `web`, `vitest.config.ts`…): a code span starting with one names a repository path. */
const TOP_LEVEL = new Set(
  execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((file) => file.split('/')[0]),
);

/** GitHub's anchor for a heading: lower case, punctuation and code marks dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

interface MarkdownParts {
  /** Every heading's anchor, repeated headings suffixed -1, -2… as GitHub does. */
  anchors: Set<string>;
  /** Link targets outside code, with their line. */
  links: Array<{ target: string; line: number }>;
  /** Inline code spans outside fenced blocks, and the first word of each line of an unlabelled fenced block (the layout trees). */
  codePaths: Array<{ text: string; line: number }>;
}

function readMarkdown(file: string): MarkdownParts {
  const parts: MarkdownParts = { anchors: new Set(), links: [], codePaths: [] };
  const seen = new Map<string, number>();
  let fence: string | null = null;
  readFileSync(join(ROOT, file), 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const line = index + 1;
      const fenceMark = /^\s*```(\S*)/.exec(text);
      if (fenceMark) {
        fence = fence === null ? fenceMark[1] : null;
        return;
      }
      if (fence !== null) {
        const firstWord = /^(\S+)\s/.exec(text)?.[1];
        if (fence === '' && firstWord) parts.codePaths.push({ text: firstWord, line });
        return;
      }
      const heading = /^#{1,6} (.*)$/.exec(text);
      if (heading) {
        const base = slug(heading[1]);
        const count = seen.get(base) ?? 0;
        seen.set(base, count + 1);
        parts.anchors.add(count === 0 ? base : `${base}-${count}`);
      }
      const withoutCode = text.replace(/`[^`]*`/g, (code) => {
        parts.codePaths.push({ text: code.slice(1, -1), line });
        return '';
      });
      for (const match of withoutCode.matchAll(/\]\(([^)\s]+)\)/g)) parts.links.push({ target: match[1], line });
    });
  return parts;
}

/** A code span that names a file or folder of the repository: no placeholder or wildcard, and its first segment is a top-level entry (from the root) or an entry beside the README. */
function repositoryPath(text: string, readmeDir: string): string | null {
  if (!/^[\w.@-]+(\/[\w.@-]*)*$/.test(text) || !/[/.]/.test(text)) return null;
  const first = text.split('/')[0];
  if (TOP_LEVEL.has(first)) return text;
  if (readmeDir !== '.' && existsSync(join(ROOT, readmeDir, first)) && first !== '.' && first !== '..') return posix.join(readmeDir, text);
  return null;
}

const parsed = new Map(READMES.map((file) => [file, readMarkdown(file)]));
const markdownOf = (file: string) => parsed.get(file) ?? (existsSync(join(ROOT, file)) ? readMarkdown(file) : null);

describe('the READMEs a newcomer follows', () => {
  it(`README.md is at most ${ROOT_README_MAX_LINES} lines`, () => {
    const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length;
    expect(lines).toBeLessThanOrEqual(ROOT_README_MAX_LINES);
  });

  it.each(READMES)('every relative link of %s leads to a file, folder or heading that exists', (file) => {
    const broken: string[] = [];
    for (const { target, line } of parsed.get(file)!.links) {
      if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
      const [path, anchor] = target.split('#');
      const targetFile = path === '' ? file : posix.normalize(posix.join(posix.dirname(file), path));
      if (targetFile.startsWith('..') || !existsSync(join(ROOT, targetFile))) {
        broken.push(`${file}:${line} → ${target} (no such file or folder)`);
        continue;
      }
      if (anchor && targetFile.endsWith('.md') && !markdownOf(targetFile)?.anchors.has(anchor)) {
        broken.push(`${file}:${line} → ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it.each(READMES)('every repository path %s names in code exists', (file) => {
    const readmeDir = posix.dirname(file);
    const missing = parsed
      .get(file)!
      .codePaths.map(({ text, line }) => ({ path: repositoryPath(text, readmeDir), line, text }))
      .filter(({ path }) => path !== null && !existsSync(join(ROOT, path)))
      .map(({ text, line }) => `${file}:${line}: \`${text}\``);
    expect(missing).toEqual([]);
  });

  it('sees a broken link, a missing heading and a missing path (the checks can fail)', () => {
    expect(repositoryPath('server/no-such-folder/x.ts', '.')).toBe('server/no-such-folder/x.ts');
    expect(repositoryPath('/api/v1/users', '.')).toBeNull();
    expect(repositoryPath('server/protocols/<name>/', '.')).toBeNull();
    expect(slug('Limits (`limits.ts`, `OWN_SERVER_LIMITS`)')).toBe('limits-limitsts-own_server_limits');
    expect(markdownOf('README.md')!.anchors.has('layout')).toBe(true);
    expect(markdownOf('README.md')!.anchors.has('no-such-heading')).toBe(false);
  });
});
