import type { Lang } from '../kit/lang-context.ts';
import { isFormOf, wantedWord, wordsOf, type WantedWord } from '../text/word-stem.ts';
import type { GlossaryTerm } from '../glossary/glossary-terms.ts';
import type { LessonSection } from './search-documents.ts';

/** How much a match counts, by where it is: a term's name or a heading says more than a sentence. */
export const FIELD_WEIGHTS = { term: 12, termAlso: 8, heading: 6, lessonTitle: 3, definition: 2, text: 1 } as const;
type Field = keyof typeof FIELD_WEIGHTS;
/** A word found only as a longer word's start («кадр» in «кадровый») counts for less than its own forms. */
const PREFIX_MATCH = 0.6;
// one collator a language: `localeCompare(other, lang)` builds one at every comparison of a sort
const titleOrder: Record<Lang, Intl.Collator> = { en: new Intl.Collator('en'), ru: new Intl.Collator('ru') };
export const MAX_RESULTS = 40;

export interface SearchDocument {
  kind: 'glossary' | 'lesson';
  href: string;
  title: string;
  /** the lesson's title under a section's heading; the other language's name under a term */
  context: string;
  /** the text a snippet is cut from */
  text: string;
  fields: Partial<Record<Field, string>>;
}

interface Posting {
  doc: number;
  field: Field;
  count: number;
}

export interface SearchIndex {
  lang: Lang;
  docs: SearchDocument[];
  /** every normalized word of the language's documents → its stem and where it occurs */
  postings: Map<string, { stem: string; postings: Posting[] }>;
}

export interface SnippetPart {
  text: string;
  mark: boolean;
}

export interface SearchResult {
  doc: SearchDocument;
  score: number;
  snippet: SnippetPart[];
}

export interface SearchAnswer {
  results: SearchResult[];
  /** no document had every word: these have some of them */
  partial: boolean;
}

function glossaryDocument(term: GlossaryTerm, lang: Lang): SearchDocument {
  const name = lang === 'ru' ? term.ru : term.en;
  const other = lang === 'ru' ? term.en : term.ru;
  const also = (lang === 'ru' ? term.alsoRu : term.alsoEn) ?? [];
  const definition = term.definition[lang].replace(/`/g, '');
  return {
    kind: 'glossary',
    href: `/${lang}/glossary#${term.id}`,
    title: name,
    context: other,
    text: definition,
    fields: { term: name, termAlso: [...also, other].join(' · '), definition },
  };
}

function sectionDocument(section: LessonSection): SearchDocument {
  const opening = section.anchor === null;
  return {
    kind: 'lesson',
    href: `/${section.lang}/${section.slug}${opening ? '' : `#${section.anchor}`}`,
    title: section.heading,
    context: opening ? '' : section.lessonTitle,
    text: section.text,
    fields: opening ? { heading: section.heading, text: section.text } : { heading: section.heading, lessonTitle: section.lessonTitle, text: section.text },
  };
}

/** The index of one language: the glossary's terms and the lessons' sections. */
export function buildSearchIndex(lang: Lang, glossary: readonly GlossaryTerm[], sections: readonly LessonSection[]): SearchIndex {
  const docs = [...glossary.map((term) => glossaryDocument(term, lang)), ...sections.filter((section) => section.lang === lang).map(sectionDocument)];
  const postings: SearchIndex['postings'] = new Map();
  docs.forEach((doc, index) => {
    for (const [field, value] of Object.entries(doc.fields) as Array<[Field, string]>) {
      const counts = new Map<string, { stem: string; count: number }>();
      for (const { word, stem } of wordsOf(value)) counts.set(word, { stem, count: (counts.get(word)?.count ?? 0) + 1 });
      for (const [word, { stem, count }] of counts) {
        const entry = postings.get(word);
        const posting = { doc: index, field, count };
        if (entry) entry.postings.push(posting);
        else postings.set(word, { stem, postings: [posting] });
      }
    }
  });
  return { lang, docs, postings };
}

/** How well each document matches one word of the query: its best field, weighted. */
function scoresForWord(index: SearchIndex, wanted: WantedWord): Map<number, number> {
  const scores = new Map<number, number>();
  for (const [word, { stem, postings }] of index.postings) {
    if (!isFormOf({ word, stem }, wanted)) continue;
    const quality = stem === wanted.stem ? 1 : PREFIX_MATCH;
    for (const { doc, field, count } of postings) {
      // a word said often in a section counts more, up to a point
      const score = FIELD_WEIGHTS[field] * quality * (field === 'text' || field === 'definition' ? Math.min(1 + Math.log2(count), 4) : 1);
      scores.set(doc, Math.max(scores.get(doc) ?? 0, score));
    }
  }
  return scores;
}

/**
 * The documents that hold every word of the query in some form («кадры» finds «кадр», ё = е),
 * best first: a glossary term or a heading that names the words above a paragraph that mentions
 * them. When no document holds them all, those that hold some, marked `partial`.
 */
export function search(index: SearchIndex, query: string): SearchAnswer {
  const wanted = [...new Map(wordsOf(query).map((word) => [word.word, wantedWord(word.word)])).values()];
  if (wanted.length === 0) return { results: [], partial: false };
  const perWord = wanted.map((word) => scoresForWord(index, word));
  const total = new Map<number, { score: number; words: number }>();
  for (const scores of perWord) {
    for (const [doc, score] of scores) {
      const entry = total.get(doc) ?? { score: 0, words: 0 };
      entry.score += score;
      entry.words += 1;
      total.set(doc, entry);
    }
  }
  const all = [...total].filter(([, entry]) => entry.words === wanted.length);
  const partial = all.length === 0;
  const chosen = partial ? [...total] : all;
  const results = chosen
    .map(([doc, entry]) => ({ doc: index.docs[doc], score: entry.score + (partial ? 0 : entry.words) }))
    .sort((a, b) => b.score - a.score || titleOrder[index.lang].compare(a.doc.title, b.doc.title))
    .slice(0, MAX_RESULTS)
    .map(({ doc, score }) => ({ doc, score, snippet: snippet(doc.text, wanted) }));
  return { results, partial };
}

const SNIPPET_BEFORE = 60;
const SNIPPET_LENGTH = 200;

/** Up to 200 characters of a text around the first word the query asked for, those words marked. */
export function snippet(text: string, wanted: WantedWord[]): SnippetPart[] {
  const words = wordsOf(text);
  const first = words.find((word) => wanted.some((want) => isFormOf(word, want)));
  let start = first ? Math.max(0, first.start - SNIPPET_BEFORE) : 0;
  if (start > 0) start = text.indexOf(' ', start) + 1 || start;
  let end = Math.min(text.length, start + SNIPPET_LENGTH);
  if (end < text.length) end = text.lastIndexOf(' ', end) > start ? text.lastIndexOf(' ', end) : end;
  const parts: SnippetPart[] = [];
  let at = start;
  for (const word of words) {
    if (word.start < start || word.end > end || !wanted.some((want) => isFormOf(word, want))) continue;
    if (word.start > at) parts.push({ text: text.slice(at, word.start), mark: false });
    parts.push({ text: text.slice(word.start, word.end), mark: true });
    at = word.end;
  }
  if (at < end) parts.push({ text: text.slice(at, end), mark: false });
  if (start > 0) parts.unshift({ text: '… ', mark: false });
  if (end < text.length) parts.push({ text: ' …', mark: false });
  return parts.map((part) => ({ ...part, text: part.text.replace(/\s+/g, ' ') }));
}
