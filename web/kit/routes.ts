import { LANGS, type Lang } from './lang-context.ts';

export type Route =
  /** `/`, and `/class` (the join link a class's QR code carries): each student lands in their own language */
  | { kind: 'root'; to: '' | 'class' }
  | { kind: 'list'; lang: Lang }
  | { kind: 'lesson'; lang: Lang; slug: string }
  | { kind: 'course'; lang: Lang; page: CoursePage }
  | { kind: 'class'; lang: Lang; page: ClassPage }
  | { kind: 'compare'; lang: Lang }
  | { kind: 'my-server'; lang: Lang }
  | { kind: 'glossary'; lang: Lang }
  | { kind: 'search'; lang: Lang }
  /** a capture shared by link (web/inspector/shared-capture-page.tsx) */
  | { kind: 'capture'; lang: Lang; id: string }
  | { kind: 'not-found'; lang: Lang | null };

/** The classroom's pages (web/classroom/): a student joins, the teacher's desk, a class's join card. */
export type ClassPage = 'join' | 'teach' | 'card';

/** The comparison lab's page: `/en/compare`, `/ru/compare` (web/compare). */
export const COMPARE_SLUG = 'compare';

/** "Check my server": `/en/my-server`, `/ru/my-server` (web/own-server). */
export const MY_SERVER_SLUG = 'my-server';

/** The course's terms (web/glossary): `/en/glossary#frame`; the search (web/search): `/en/search?q=frame`. */
export const GLOSSARY_SLUG = 'glossary';
export const SEARCH_SLUG = 'search';

/** A capture shared by link: `/en/capture/<id>` (contracts/shared-capture). */
export const CAPTURE_SLUG = 'capture';

/** `/` · `/en/` (lesson list) · `/en/rest` (a lesson) · anything else is not found. */
export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { kind: 'root', to: '' };
  if (pathname === '/class' || pathname === '/class/') return { kind: 'root', to: 'class' };
  const parts = pathname.split('/').filter(Boolean);
  const lang = isLang(parts[0]) ? parts[0] : null;
  if (!lang) return { kind: 'not-found', lang: null };
  if (parts.length === 1) return { kind: 'list', lang };
  if (parts.length === 2 && isCoursePage(parts[1])) return { kind: 'course', lang, page: parts[1] };
  // the classroom: `/en/class` (students join), `/en/class/teach` (the teacher's page),
  // `/en/class/card?class=…` (a class's printable join card)
  if (parts[1] === 'class' && parts.length <= 3) {
    if (parts.length === 2) return { kind: 'class', lang, page: 'join' };
    if (parts[2] === 'teach' || parts[2] === 'card') return { kind: 'class', lang, page: parts[2] };
  }
  if (parts.length === 2 && parts[1] === COMPARE_SLUG) return { kind: 'compare', lang };
  if (parts.length === 2 && parts[1] === MY_SERVER_SLUG) return { kind: 'my-server', lang };
  if (parts.length === 2 && parts[1] === GLOSSARY_SLUG) return { kind: 'glossary', lang };
  if (parts.length === 2 && parts[1] === SEARCH_SLUG) return { kind: 'search', lang };
  if (parts.length === 3 && parts[1] === CAPTURE_SLUG && /^[A-Za-z0-9_-]{1,64}$/.test(parts[2])) return { kind: 'capture', lang, id: parts[2] };
  if (parts.length === 2 && /^[a-z0-9-]+$/.test(parts[1])) return { kind: 'lesson', lang, slug: parts[1] };
  return { kind: 'not-found', lang };
}

export function isLang(value: string | undefined): value is Lang {
  return (LANGS as readonly string[]).includes(value ?? '');
}

/** The same page in another language: `/en/rest` → `/ru/rest` (the hash is kept by the caller). */
export function pathInLang(pathname: string, lang: Lang): string {
  const route = parseRoute(pathname);
  if (route.kind === 'lesson') return `/${lang}/${route.slug}`;
  if (route.kind === 'course') return `/${lang}/${route.page}`;
  if (route.kind === 'class') return `/${lang}/class${route.page === 'join' ? '' : `/${route.page}`}`;
  if (route.kind === 'compare') return `/${lang}/${COMPARE_SLUG}`;
  if (route.kind === 'my-server') return `/${lang}/${MY_SERVER_SLUG}`;
  if (route.kind === 'glossary') return `/${lang}/${GLOSSARY_SLUG}`;
  if (route.kind === 'search') return `/${lang}/${SEARCH_SLUG}`;
  if (route.kind === 'capture') return `/${lang}/${CAPTURE_SLUG}/${route.id}`;
  if (route.kind === 'not-found' && route.lang) return `/${lang}/${pathname.split('/').slice(2).join('/')}`;
  return `/${lang}/`;
}

/** The course's own pages beside the lessons (web/course/): the map, the decision matrix, the quiz; and the AsyncAPI document as a page (web/asyncapi/). */
export const COURSE_PAGES = ['course', 'matrix', 'quiz', 'asyncapi'] as const;
export type CoursePage = (typeof COURSE_PAGES)[number];

function isCoursePage(value: string): value is CoursePage {
  return (COURSE_PAGES as readonly string[]).includes(value);
}
