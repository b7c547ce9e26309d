export type CalloutKind = 'note' | 'pitfall' | 'deep-dive';

/** A lesson's markdown cut at its directives (lessons/README.md); markdown stays unparsed here. */
export type LessonSegment =
  | { type: 'markdown'; text: string }
  | { type: 'cell'; id: string; line: number }
  | { type: 'exercise'; id: string; line: number; prompt: string; hints: string[] }
  | { type: 'callout'; kind: CalloutKind; text: string };

export interface LessonProblem {
  line: number;
  message: string;
}

export interface SplitLesson {
  title: string;
  /** the `> ` paragraph right after the title, as markdown */
  summary: string;
  segments: LessonSegment[];
  problems: LessonProblem[];
}

const CELL = /^::cell\s+([A-Za-z0-9_-]+)\s*$/;
const EXERCISE = /^:::exercise\s+([A-Za-z0-9_-]+)\s*$/;
const CALLOUT = /^:::(note|pitfall|deep-dive)\s*$/;
const HINT = /^::hint\s*$/;
const CLOSE = /^:::\s*$/;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

export function splitLessonDirectives(markdown: string): SplitLesson {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const problems: LessonProblem[] = [];
  const segments: LessonSegment[] = [];
  let index = 0;
  const skipBlank = () => {
    while (index < lines.length && lines[index].trim() === '') index++;
  };

  skipBlank();
  const titleMatch = /^#\s+(.+)$/.exec(lines[index] ?? '');
  let title = '';
  if (titleMatch) {
    title = titleMatch[1].trim();
    index++;
  } else {
    problems.push({ line: index + 1, message: 'the first line must be the title: "# Title"' });
  }
  skipBlank();
  const summaryLines: string[] = [];
  while (index < lines.length && /^>\s?/.test(lines[index])) summaryLines.push(lines[index++].replace(/^>\s?/, ''));
  if (summaryLines.length === 0) problems.push({ line: index + 1, message: 'a "> " summary paragraph must follow the title' });

  let markdownLines: string[] = [];
  let open: { kind: 'exercise'; id: string; line: number; parts: string[][] } | { kind: CalloutKind; line: number; parts: string[][] } | null = null;
  let fence: string | null = null;

  const flushMarkdown = () => {
    if (markdownLines.some((line) => line.trim() !== '')) segments.push({ type: 'markdown', text: markdownLines.join('\n') });
    markdownLines = [];
  };
  const target = () => (open ? open.parts[open.parts.length - 1] : markdownLines);

  for (; index < lines.length; index++) {
    const line = lines[index];
    const lineNumber = index + 1;
    const fenceMatch = FENCE.exec(line);
    if (fence !== null) {
      if (fenceMatch && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length) fence = null;
      target().push(line);
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1];
      target().push(line);
      continue;
    }

    let match: RegExpExecArray | null;
    if ((match = CELL.exec(line))) {
      if (open) {
        problems.push({ line: lineNumber, message: `::cell ${match[1]} inside a ::: block; close the block first` });
        continue;
      }
      flushMarkdown();
      segments.push({ type: 'cell', id: match[1], line: lineNumber });
    } else if ((match = EXERCISE.exec(line)) || (match = CALLOUT.exec(line))) {
      if (open) {
        problems.push({ line: lineNumber, message: `"${line.trim()}" inside another ::: block (opened on line ${open.line})` });
        continue;
      }
      flushMarkdown();
      open = line.startsWith(':::exercise')
        ? { kind: 'exercise', id: match[1], line: lineNumber, parts: [[]] }
        : { kind: match[1] as CalloutKind, line: lineNumber, parts: [[]] };
    } else if (HINT.test(line)) {
      if (open?.kind === 'exercise') open.parts.push([]);
      else problems.push({ line: lineNumber, message: '::hint outside an exercise' });
    } else if (CLOSE.test(line)) {
      if (!open) {
        problems.push({ line: lineNumber, message: '":::" closes nothing' });
        continue;
      }
      const [first, ...hints] = open.parts.map((part) => part.join('\n').trim());
      if (open.kind === 'exercise') {
        segments.push({ type: 'exercise', id: open.id, line: open.line, prompt: first, hints });
      } else {
        segments.push({ type: 'callout', kind: open.kind, text: first });
      }
      open = null;
    } else if (/^:{2,}/.test(line)) {
      problems.push({ line: lineNumber, message: `unknown directive "${line.trim()}"` });
    } else {
      target().push(line);
    }
  }
  if (open) problems.push({ line: open.line, message: `the ::: block opened here is never closed` });
  if (fence !== null) problems.push({ line: lines.length, message: 'a code fence is never closed' });
  flushMarkdown();

  return { title, summary: summaryLines.join('\n'), segments, problems };
}

/** `## Status codes {#status-codes}` → id and text; null for lines that are not headings. */
export function readHeading(line: string): { depth: number; text: string; id: string | null } | null {
  const match = /^(#{1,6})\s+(.*?)\s*$/.exec(line);
  if (!match) return null;
  const idMatch = /^(.*?)\s*\{#([A-Za-z0-9_-]+)\}$/.exec(match[2]);
  return idMatch ? { depth: match[1].length, text: idMatch[1], id: idMatch[2] } : { depth: match[1].length, text: match[2], id: null };
}

/** Headings of some markdown outside code fences, in order. */
export function headingsOf(markdown: string): Array<{ depth: number; text: string; id: string | null; line: number }> {
  const headings: Array<{ depth: number; text: string; id: string | null; line: number }> = [];
  let fence: string | null = null;
  for (const [index, line] of markdown.split('\n').entries()) {
    const fenceMatch = FENCE.exec(line);
    if (fence !== null) {
      if (fenceMatch && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length) fence = null;
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1];
      continue;
    }
    const heading = readHeading(line);
    if (heading) headings.push({ ...heading, line: index + 1 });
  }
  return headings;
}
