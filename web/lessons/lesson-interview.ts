import { headingsOf } from './lesson-directives.ts';

/** A question a lesson's "Interview questions" section asks, with the answer it gives (if any). */
export interface LessonInterviewQuestion {
  /** the heading id of the section, e.g. "interview" */
  section: string;
  question: string;
  /** markdown; null when the lesson lists the question without an answer */
  answer: string | null;
}

/** The section ids lessons use for their interview questions. */
export const INTERVIEW_SECTIONS = ['interview', 'questions'];

/**
 * Reads the interview section of a lesson's markdown: paragraphs `**Question?** Answer.`, list
 * items `- *Question?* Answer.`, or bare list items `- Question?` (no answer). Text outside
 * these forms is ignored; the quiz shows the questions in the lesson's order.
 */
export function lessonInterviewQuestions(markdown: string): LessonInterviewQuestion[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const headings = headingsOf(lines.join('\n'));
  const found: LessonInterviewQuestion[] = [];
  for (const [position, heading] of headings.entries()) {
    if (!heading.id || !INTERVIEW_SECTIONS.includes(heading.id)) continue;
    const next = headings.slice(position + 1).find((candidate) => candidate.depth <= heading.depth);
    const body = lines.slice(heading.line, next ? next.line - 1 : lines.length);
    for (const entry of entries(body)) {
      const emphasised = /^(?:[-*]\s+)?(\*\*|\*)(.+?)\1\s*(.*)$/s.exec(entry);
      if (emphasised) {
        found.push({ section: heading.id, question: emphasised[2].trim(), answer: emphasised[3].trim() || null });
        continue;
      }
      const bare = /^[-*]\s+(.+)$/s.exec(entry);
      if (bare) found.push({ section: heading.id, question: bare[1].trim(), answer: null });
    }
  }
  return found;
}

/** Paragraphs and list items, each joined into one string. */
function entries(lines: string[]): string[] {
  const result: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length > 0) result.push(current.join(' ').replace(/\s+/g, ' ').trim());
    current = [];
  };
  for (const line of lines) {
    if (line.trim() === '') flush();
    else if (/^[-*]\s+/.test(line)) {
      flush();
      current.push(line);
    } else current.push(line.trim());
  }
  flush();
  return result;
}
