import type { Lang } from '../kit/lang-context.ts';

/** One searchable piece of a lesson: its opening (before the first heading) or one `##`/`###` section. */
export interface LessonSection {
  lang: Lang;
  slug: string;
  lessonTitle: string;
  /** the heading's id, the link's hash; null for the lesson's opening */
  anchor: string | null;
  /** the section's heading; the lesson's title for its opening */
  heading: string;
  /** the section's prose as plain text: no markup, no code blocks, no directives */
  text: string;
}

const HEADING = /^(#{1,6})\s+(.*?)(?:\s*\{#([a-z0-9-]+)\})?\s*$/;
const FENCE = /^\s*(```|~~~)/;

/** Markdown inline markup → plain text: links keep their text, emphasis and code marks go. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/(\*\*|__|\*|`)/g, '')
    .replace(/^\s*(?:>|[-*+]|\d+\.)\s+/gm, '')
    .replace(/^\s*\|?[\s:|-]+\|?\s*$/gm, ' ')
    .replace(/\|/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n[ \n]*/g, '\n')
    .trim();
}

/**
 * A lesson's text (`en.md` or `ru.md`) cut into sections for the search: its opening under the
 * lesson's title, then one per heading with the heading's id, so a result links to its place.
 * Code blocks and the directives' own lines (`::cell`, `:::exercise`, `::hint`) are left out; an
 * exercise's prompt and hints are prose and stay.
 */
export function lessonSections(markdown: string, lang: Lang, slug: string): LessonSection[] {
  const lines = markdown.split('\n');
  const titleLine = lines.findIndex((line) => /^#\s/.test(line));
  const lessonTitle = titleLine >= 0 ? plainText(lines[titleLine].replace(/^#\s+/, '')) : slug;
  const sections: LessonSection[] = [];
  let current: LessonSection = { lang, slug, lessonTitle, anchor: null, heading: lessonTitle, text: '' };
  let body: string[] = [];
  let inFence = false;
  const close = () => {
    current.text = plainText(body.join('\n'));
    if (current.text || current.anchor) sections.push(current);
    body = [];
  };
  lines.forEach((line, index) => {
    if (FENCE.test(line)) {
      inFence = !inFence;
      return;
    }
    if (inFence || index === titleLine || /^\s*:{2,3}/.test(line)) return;
    const heading = HEADING.exec(line);
    if (heading && heading[1].length >= 2) {
      close();
      current = { lang, slug, lessonTitle, anchor: heading[3] ?? null, heading: plainText(heading[2]), text: '' };
      return;
    }
    body.push(line);
  });
  close();
  return sections;
}

/** `virtual:wirelab-search-lessons` (vite.config.ts): every lesson's sections in both languages. */
export function buildSearchSections(
  folders: ReadonlyArray<{ slug: string; lessonJson: string | null; markdown: Record<Lang, string | null> }>,
): LessonSection[] {
  return folders
    .filter((lesson) => lesson.lessonJson !== null)
    .flatMap((lesson) => (['ru', 'en'] as const).flatMap((lang) => (lesson.markdown[lang] ? lessonSections(lesson.markdown[lang]!, lang, lesson.slug) : [])));
}
