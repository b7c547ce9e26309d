import lessonIndex from 'virtual:wirelab-lesson-index';
import { parseRoute } from '../kit/routes.ts';
import type { Navigation } from './class-protocol.ts';

/**
 * A page's place as the class channel names it: the lesson and heading, never the language (the
 * teacher's for followers, a student's for the desk). Null for a page that is no lesson and not
 * the lesson list (the board, the join page, "not found": followers stay where they are).
 */
export function navigationOf(pathname: string, hash: string): Navigation | null {
  const route = parseRoute(pathname);
  if (route.kind === 'lesson')
    return lessonIndex.some((entry) => entry.slug === route.slug) ? { lesson: route.slug, section: decodeURIComponent(hash.replace(/^#/, '')) } : null;
  if (route.kind === 'list') return { lesson: null, section: '' };
  return null;
}
