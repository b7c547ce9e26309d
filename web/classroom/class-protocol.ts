// The class channel's messages as the page sees them (server/classroom/classroom-plugin.ts
// sends them; README.md there describes the channel).
import type { Board, BoardMember, BoardResult, ClassSummary } from '../../server/classroom/board-types.ts';
import type { ClassErrorCode } from './strings.ts';

export type { Board, BoardMember, BoardResult, ClassSummary };

export const CLASS_CHANNEL_PATH = '/_wirelab/class/channel';

export interface Navigation {
  /** a lesson's slug; null: the lesson list */
  lesson: string | null;
  /** a heading id of the lesson, or '' */
  section: string;
}

export type ServerMessage =
  | { type: 'joined'; code: string; title: string; name: string; following: boolean }
  | { type: 'renamed'; name: string }
  | { type: 'class-deleted'; code: string }
  | ({ type: 'navigate' } & Navigation)
  | { type: 'teacher-wire'; message: { type: 'reset' } | { type: 'connection'; conn: unknown } | { type: 'closed'; conn: string; t: number } }
  | { type: 'teacher-ready'; classes: ClassSummary[]; lanOrigins: string[] }
  | { type: 'classes'; classes: ClassSummary[] }
  | { type: 'class-created'; class: { code: string; title: string } }
  | { type: 'board'; board: Board }
  | { type: 'leading'; code: string; relaying: boolean }
  | { type: 'export'; code: string; format: 'csv' | 'json'; text: string }
  | { type: 'error'; error: ClassErrorCode };

export function channelUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}${CLASS_CHANNEL_PATH}`;
}

/** `K7FM3Q` → `K7F-M3Q`: easier to read aloud from a projector. */
export function formatCode(code: string): string {
  return code.length === 6 ? `${code.slice(0, 3)}-${code.slice(3)}` : code;
}

/** The language of the page from its address (the student's own, never the teacher's). */
export function pageLang(): 'ru' | 'en' {
  return window.location.pathname.startsWith('/ru') ? 'ru' : 'en';
}
