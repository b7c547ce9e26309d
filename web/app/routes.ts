import { LANGS, type Lang } from './lang-context.ts';

export type Route =
  | { kind: 'root' }
  | { kind: 'list'; lang: Lang }
  | { kind: 'lesson'; lang: Lang; slug: string }
  | { kind: 'compare'; lang: Lang }
  | { kind: 'not-found'; lang: Lang | null };

/** The comparison lab's page: `/en/compare`, `/ru/compare` (web/compare). */
export const COMPARE_SLUG = 'compare';

/** `/` · `/en/` (lesson list) · `/en/rest` (a lesson) · anything else is not found. */
export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { kind: 'root' };
  const parts = pathname.split('/').filter(Boolean);
  const lang = isLang(parts[0]) ? parts[0] : null;
  if (!lang) return { kind: 'not-found', lang: null };
  if (parts.length === 1) return { kind: 'list', lang };
  if (parts.length === 2 && parts[1] === COMPARE_SLUG) return { kind: 'compare', lang };
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
  if (route.kind === 'compare') return `/${lang}/${COMPARE_SLUG}`;
  if (route.kind === 'not-found' && route.lang) return `/${lang}/${pathname.split('/').slice(2).join('/')}`;
  return `/${lang}/`;
}
