// The page's side of the class channel: the messages are the contract's
// (contracts/class-channel/, PROTOCOL.md there); here what only a browser needs.
import {
  CLASS_CHANNEL_PATH,
  type Board,
  type BoardMember,
  type BoardResult,
  type ClassSummary,
  type Navigation,
  type ServerMessage,
} from '../../contracts/class-channel/messages.ts';

export { CLASS_CHANNEL_PATH };
export type { Board, BoardMember, BoardResult, ClassSummary, Navigation, ServerMessage };

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
