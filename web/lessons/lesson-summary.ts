/** What the lesson list shows for one lesson in one language. */
export interface LessonHeadline {
  title: string;
  summary: string;
}

/**
 * Reads the title (`# Title` on the first line) and the summary (the `> ` paragraph right after
 * it) of a lesson's markdown, as plain text: the lesson list must not need a markdown parser.
 */
export function readLessonHeadline(markdown: string): LessonHeadline {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let index = 0;
  while (index < lines.length && lines[index].trim() === '') index++;
  const titleMatch = /^#\s+(.*)$/.exec(lines[index] ?? '');
  const title = titleMatch ? plainText(titleMatch[1]) : '';
  if (titleMatch) index++;
  while (index < lines.length && lines[index].trim() === '') index++;
  const quoted: string[] = [];
  while (index < lines.length && /^>\s?/.test(lines[index])) {
    quoted.push(lines[index].replace(/^>\s?/, ''));
    index++;
  }
  return { title, summary: plainText(quoted.join(' ')) };
}

export function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|\*|_|`)(.+?)\1/g, '$2')
    .replace(/\s+/g, ' ')
    .trim();
}
