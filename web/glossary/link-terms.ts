import type { Lang } from '../kit/lang-context.ts';
import type { RenderedLesson } from '../lessons/render-lesson.ts';
import { findPhrase, normalizeWord, wantedWord, wordsOf } from '../text/word-stem.ts';
import { GLOSSARY, type GlossaryTerm } from './glossary-terms.ts';

/**
 * A lesson's glossary terms linked to their definitions (`/ru/glossary#frame`), once per lesson:
 * the first time the text names a term the glossary lists for that lesson, in any form of its
 * words («кадров», «Кадры»), by its name or one of its other accepted names. Never inside code,
 * a heading or an existing link, and never a word that is part of a hyphenated or slashed name
 * ("encoding" in Content-Encoding). Done when the lesson is built (vite.config.ts), so a lesson
 * page carries the links in its text and no code to place them.
 */
export function linkLessonTerms(rendered: RenderedLesson, lang: Lang, slug: string, glossary: readonly GlossaryTerm[] = GLOSSARY): RenderedLesson {
  const terms = glossary.filter((term) => term.lessons.includes(slug));
  const linked = new Set<string>();
  const link = (html: string) => linkTermsInHtml(html, lang, terms, linked);
  return {
    ...rendered,
    // in the order the page shows them; a hint stays as written (it is read after its prompt)
    blocks: rendered.blocks.map((block) => {
      switch (block.type) {
        case 'html':
        case 'callout':
          return { ...block, html: link(block.html) };
        case 'exercise':
          return { ...block, promptHtml: link(block.promptHtml) };
        case 'cell':
          return block;
      }
    }),
  };
}

/** Elements whose text is never linked: code, headings, links (and what holds no prose). */
const NO_LINKS_INSIDE = new Set(['a', 'code', 'pre', 'kbd', 'samp', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'button', 'script', 'style', 'svg']);
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(\/?)>/g;

/**
 * `html` (well-formed, as marked writes it) with the first use of each of `terms` not yet in
 * `linked` made a link to the glossary; the linked terms are added to `linked`.
 */
export function linkTermsInHtml(html: string, lang: Lang, terms: readonly GlossaryTerm[], linked: Set<string>): string {
  let out = '';
  let at = 0;
  let skipDepth = 0;
  for (const tag of html.matchAll(TAG)) {
    const text = html.slice(at, tag.index);
    out += skipDepth === 0 ? linkText(text, lang, terms, linked) : text;
    out += tag[0];
    at = tag.index + tag[0].length;
    const [, closing, name, selfClosing] = tag;
    if (!NO_LINKS_INSIDE.has(name.toLowerCase()) || selfClosing) continue;
    skipDepth = Math.max(0, skipDepth + (closing ? -1 : 1));
  }
  const rest = html.slice(at);
  return out + (skipDepth === 0 ? linkText(rest, lang, terms, linked) : rest);
}

interface Place {
  start: number;
  end: number;
  term: GlossaryTerm;
}

/**
 * The names a term is linked by: its own, and those of its other names that cannot be a common
 * word meaning something else: several words ("reverse proxy", «долгий опрос»), a capital, digit
 * or sign (RPC, N+1), or another form of its one-word name («заголовки» of «заголовок»). So
 * "fragment" (a GraphQL fragment too) does not link to fragmentation, nor "encoding" to
 * serialization, nor «соединение» alone to the TCP connection.
 */
export function linkNamesOf(term: GlossaryTerm, lang: Lang): string[] {
  const main = term[lang];
  const also = (lang === 'ru' ? term.alsoRu : term.alsoEn) ?? [];
  const formOfMain = (name: string) => !/\s/.test(main) && main.length > 4 && name.startsWith(main.slice(0, -2)) && Math.abs(name.length - main.length) <= 3;
  return [main, ...also.filter((name) => /\s|[^\p{Ll}]/u.test(name) || formOfMain(name))];
}

/** A letter, a digit, or a joint of a compound name (Content-Length, HTTP/2, text/event-stream). */
const JOINED = /[\p{L}\p{N}_/-]/u;

function linkText(text: string, lang: Lang, terms: readonly GlossaryTerm[], linked: Set<string>): string {
  if (!/[\p{L}\p{N}]/u.test(text)) return text;
  const words = wordsOf(text);
  const places: Place[] = [];
  for (const term of terms) {
    if (linked.has(term.id)) continue;
    for (const name of linkNamesOf(term, lang)) {
      const place = findPhrase(text, name, words).find((found) => isNamed(text, found, name));
      if (place) places.push({ ...place, term });
    }
  }
  // earliest first, the longer name first at one place ("TCP connection" before "connection")
  places.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (const place of places) {
    if (place.start < at || linked.has(place.term.id)) continue;
    linked.add(place.term.id);
    out += `${text.slice(at, place.start)}<a href="/${lang}/glossary#${place.term.id}">${text.slice(place.start, place.end)}</a>`;
    at = place.end;
  }
  return out + text.slice(at);
}

/**
 * Whether a place findPhrase found is the name itself in one of its forms: each word has the
 * name's word's stem (findPhrase also takes a word that merely starts with it, which a search
 * wants and a link does not: "frame" is not "framework"), and the words stand alone.
 */
function isNamed(text: string, place: { start: number; end: number }, name: string): boolean {
  if (JOINED.test(text[place.start - 1] ?? '') || JOINED.test(text[place.end] ?? '')) return false;
  const found = wordsOf(text.slice(place.start, place.end));
  const wanted = wordsOf(name);
  return found.length === wanted.length && found.every((word, index) => isFormOfName(word.word, word.stem, wanted[index].word));
}

/** A Russian verb's endings: «запросить» has the stem of «запрос», «повторит» that of «повтор». */
const RUSSIAN_VERB = /(?:ть|ться|тся|ит|ят|ют|ут)$/;

function isFormOfName(word: string, stem: string, nameWord: string): boolean {
  const name = normalizeWord(nameWord);
  if (word === name) return true;
  if (stem !== wantedWord(name).stem) return false;
  return !(RUSSIAN_VERB.test(word) && !RUSSIAN_VERB.test(name));
}
