// `::source <path> <Name>…` in a lesson: declarations cut from a real file of the repository
// (a .proto, or what protoc-gen-es generated from it in proto/gen) and shown as a code block, so
// the lesson can never show a copy that drifted from the code. Pure: the reader (Vite's raw
// imports) and the format check (the file system) each bring their own way to read the file.

const SOURCE_LINE = /^::source\s+(\S+)((?:\s+[A-Za-z_][A-Za-z0-9_]*)+)\s*$/;

/** Files a lesson may quote: the contracts and their generated TypeScript. */
export const SOURCE_PATH = /^proto\/(?:gen\/)?[a-z0-9_/]+\.(?:proto|ts)$/;

export interface SourceDirective {
  line: number;
  path: string;
  names: string[];
}

export function sourceDirectives(markdown: string): SourceDirective[] {
  return markdown.split('\n').flatMap((text, index) => {
    const match = SOURCE_LINE.exec(text.replace(/\r$/, ''));
    return match ? [{ line: index + 1, path: match[1], names: match[2].trim().split(/\s+/) }] : [];
  });
}

/** One top-level declaration named `name`, with the comment right above it; null when absent. */
export function declarationOf(text: string, path: string, name: string): string | null {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const start = path.endsWith('.proto')
    ? new RegExp(`^(?:message|enum|service)\\s+${name}\\s*\\{`)
    : new RegExp(`^export\\s+(?:declare\\s+)?(?:type|const|enum|interface|function)\\s+${name}\\b`);
  const first = lines.findIndex((line) => start.test(line));
  if (first === -1) return null;
  let from = first;
  while (from > 0 && /^\s*(\/\/|\/\*\*|\*|\*\/)/.test(lines[from - 1])) from--;
  let depth = 0;
  let opened = false;
  for (let index = first; index < lines.length; index++) {
    for (const char of lines[index]) {
      if (char === '{') {
        depth++;
        opened = true;
      } else if (char === '}') depth--;
    }
    const trimmed = lines[index].trim();
    const ends = path.endsWith('.proto') ? opened && depth === 0 : depth === 0 && trimmed.endsWith(';');
    if (ends) return lines.slice(from, index + 1).join('\n');
  }
  return null;
}

/**
 * Replaces every `::source` line with a fenced code block of the declarations it names (in the
 * order named), headed by the file's path. `read` gives a file's text or undefined.
 */
export function expandSources(
  markdown: string,
  read: (path: string) => string | undefined,
): { markdown: string; problems: Array<{ line: number; message: string }> } {
  const problems: Array<{ line: number; message: string }> = [];
  const lines = markdown.split('\n');
  for (const directive of sourceDirectives(markdown)) {
    const text = SOURCE_PATH.test(directive.path) ? read(directive.path) : undefined;
    if (text === undefined) {
      problems.push({ line: directive.line, message: `::source: no file ${directive.path} (only proto/…/*.proto and proto/gen/…/*.ts)` });
      lines[directive.line - 1] = '';
      continue;
    }
    const parts = directive.names.map((name) => {
      const declaration = declarationOf(text, directive.path, name);
      if (declaration === null) problems.push({ line: directive.line, message: `::source: ${directive.path} declares no ${name}` });
      return declaration;
    });
    const language = directive.path.endsWith('.proto') ? 'proto' : 'ts';
    const body = parts.filter((part): part is string => part !== null).join('\n\n');
    lines[directive.line - 1] = ['```' + language, `// ${directive.path}`, body, '```'].join('\n');
  }
  return { markdown: lines.join('\n'), problems };
}
