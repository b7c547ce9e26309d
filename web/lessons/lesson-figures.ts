// Figures a lesson quotes about the code (how many checks a suite has…) are never typed into its
// text: the text names them, `{{checks.mqtt}}`, and the build puts in the number the code gives
// (lessons/code-figures.ts reads it from the code; vite.config.ts's lesson-page plugin and the
// lesson index expand it). So a lesson read aloud in class says what the code does today.
//
//   {{checks.rest}}                          → 34
//   {{checks.rest|проверка|проверки|проверок}} → 34 проверки (the noun in the form the number asks)
import { countRu } from '../text/russian-plural.ts';

/** Each figure's name and its value, e.g. `checks.mqtt` → 41. */
export type CodeFigures = Readonly<Record<string, number>>;

const PLACEHOLDER = /\{\{\s*([a-z0-9][a-z0-9.-]*)\s*(?:\|([^|{}]+)\|([^|{}]+)\|([^|{}]+))?\s*\}\}/g;

export interface ExpandedFigures {
  markdown: string;
  /** names the text uses that `figures` lacks, left in place as written */
  unknown: string[];
}

/** Puts each figure's value in place of its name; a Russian noun after it gets the form the number asks. */
export function expandFigures(markdown: string, figures: CodeFigures): ExpandedFigures {
  const unknown: string[] = [];
  const expanded = markdown.replace(PLACEHOLDER, (whole, name: string, one?: string, few?: string, many?: string) => {
    const value = figures[name];
    if (value === undefined) {
      unknown.push(name);
      return whole;
    }
    return one && few && many ? countRu(value, one.trim(), few.trim(), many.trim()) : String(value);
  });
  return { markdown: expanded, unknown };
}

/** Every figure name a text uses. */
export function figureNames(markdown: string): string[] {
  return [...markdown.matchAll(PLACEHOLDER)].map((match) => match[1]!);
}
