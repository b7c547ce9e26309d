import { Marked, type Tokens } from 'marked';
import { splitLessonDirectives, readHeading, type CalloutKind, type LessonProblem } from './lesson-directives.ts';

export type LessonBlock =
  | { type: 'html'; html: string }
  | { type: 'cell'; id: string }
  | { type: 'exercise'; id: string; promptHtml: string; hintsHtml: string[] }
  | { type: 'callout'; kind: CalloutKind; html: string };

export interface TocEntry {
  id: string;
  text: string;
  depth: number;
}

export interface RenderedLesson {
  title: string;
  summaryHtml: string;
  blocks: LessonBlock[];
  toc: TocEntry[];
  problems: LessonProblem[];
}

/** Lesson markdown → HTML blocks, live-cell and exercise placeholders, and a table of contents. */
export function renderLesson(markdown: string): RenderedLesson {
  const split = splitLessonDirectives(markdown);
  const toc: TocEntry[] = [];
  const usedIds = new Set<string>();

  const marked = new Marked({
    gfm: true,
    renderer: {
      heading({ tokens, depth, text }: Tokens.Heading) {
        const heading = readHeading(`${'#'.repeat(depth)} ${text}`);
        const inner = this.parser.parseInline(tokens).replace(/\s*\{#[A-Za-z0-9_-]+\}\s*$/, '');
        const id = uniqueId(heading?.id ?? slugify(heading?.text ?? text), usedIds);
        const plain = inner.replace(/<[^>]+>/g, '');
        if (depth === 2 || depth === 3) toc.push({ id, text: decodeEntities(plain), depth });
        return `<h${depth} id="${id}" tabindex="-1">${inner}<a class="heading-anchor" href="#${id}" aria-hidden="true" tabindex="-1">#</a></h${depth}>\n`;
      },
    },
  });
  // wide tables and code scroll inside their own box instead of widening the text column; a box
  // that scrolls takes keyboard focus so it can be scrolled without a mouse (WCAG 2.1.1, axe's
  // scrollable-region-focusable)
  const html = (text: string) =>
    marked
      .parse(text, { async: false })
      .replace(/<table>/g, '<div class="table-scroll" tabindex="0"><table>')
      .replace(/<\/table>/g, '</table></div>')
      .replace(/<pre>/g, '<pre tabindex="0">');

  const blocks: LessonBlock[] = split.segments.map((segment) => {
    switch (segment.type) {
      case 'markdown':
        return { type: 'html', html: html(segment.text) };
      case 'cell':
        return { type: 'cell', id: segment.id };
      case 'exercise':
        return { type: 'exercise', id: segment.id, promptHtml: html(segment.prompt), hintsHtml: segment.hints.map(html) };
      case 'callout':
        return { type: 'callout', kind: segment.kind, html: html(segment.text) };
    }
  });

  return {
    title: split.title,
    summaryHtml: split.summary ? marked.parseInline(split.summary, { async: false }) : '',
    blocks,
    toc,
    problems: split.problems,
  };
}

function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/<[^>]+>/g, '')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-|-$/g, '') || 'section'
  );
}

function uniqueId(id: string, used: Set<string>): string {
  let candidate = id;
  for (let n = 2; used.has(candidate); n++) candidate = `${id}-${n}`;
  used.add(candidate);
  return candidate;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
