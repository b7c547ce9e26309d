import { useSyncExternalStore } from 'react';
import {
  CLASS_CLOSE,
  retryAfterOfLimitedClose,
  type ClientMessage,
  type MemberAttempts,
  type MemberServerChecks,
  type TeacherNavigation,
} from '../../contracts/class-channel/messages.ts';
import { parseRoute } from '../kit/routes.ts';
import type { CheckedProtocol } from '../../contracts/own-server/check-result.ts';
import { channelUrl, type Board, type ClassSummary, type ServerMessage } from './class-protocol.ts';
import { navigationOf } from './page-place.ts';
import type { ClassErrorCode } from './strings.ts';

const KEY_STORAGE = 'wirelab.class.teacherKey';
const LEADING_STORAGE = 'wirelab.class.leading';
/** How often a leading tab looks where the teacher is (the reader moves the hash while scrolling). */
const WATCH_EVERY_MS = 250;

/**
 * The teacher key: taken from the link's fragment (`#key=…`, never sent in a request) into this
 * browser's storage, and the fragment dropped from the address bar so it does not end up on
 * the projector.
 */
export function takeTeacherKey(): string | null {
  const match = /(?:^#|&)key=([A-Za-z0-9_-]{8,200})/.exec(window.location.hash);
  if (match) {
    try {
      localStorage.setItem(KEY_STORAGE, match[1]);
    } catch {
      // kept for this page only
    }
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
    return match[1];
  }
  try {
    return localStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

export function forgetTeacherKey(): void {
  try {
    localStorage.removeItem(KEY_STORAGE);
  } catch {
    // nothing kept
  }
}

/** How long to wait after a `teacherKeyLimited` close whose reason names no time: the limit's window. */
const KEY_LIMIT_WAIT_S = 60;

/** The seconds a channel closed by the wrong-key limit (4429) waits before it says hello again. */
export function keyLimitWaitS(event: Pick<CloseEvent, 'reason'>): number {
  return retryAfterOfLimitedClose(event.reason) ?? KEY_LIMIT_WAIT_S;
}

export interface TeacherState {
  /** `limited`: too many wrong teacher keys came from this address (close 4429); it tries again after `limitedForS` */
  status: 'connecting' | 'ready' | 'refused' | 'limited' | 'closed';
  /** with `limited`: the seconds the server named */
  limitedForS: number | null;
  /** the channel closed with 1001 (the server shutting down): the desk says so until it is ready again */
  serverRestarting: boolean;
  classes: ClassSummary[];
  lanOrigins: string[];
  publicOrigin: string | null;
  board: Board | null;
  error: ClassErrorCode | null;
  /** the class just created (the page opens it) */
  created: string | null;
  /** the class just deleted (the page closes it and says so) */
  deleted: string | null;
  /** the attempts of the student the teacher opened, as the server last sent them */
  attempts: MemberAttempts | null;
  /** the "check my server" run the teacher opened from a board cell, as the server last sent it */
  serverChecks: MemberServerChecks | null;
}

/** The teacher's page's channel: classes, the board of the class it watches, exports. */
export class TeacherChannel {
  state: TeacherState = {
    status: 'connecting',
    limitedForS: null,
    serverRestarting: false,
    classes: [],
    lanOrigins: [],
    publicOrigin: null,
    board: null,
    error: null,
    created: null,
    deleted: null,
    attempts: null,
    serverChecks: null,
  };
  private socket: WebSocket | null = null;
  private listeners = new Set<() => void>();
  private watching: string | null = null;
  private exports = new Map<string, (text: string) => void>();
  private stopped = false;
  private retry: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly key: string) {}

  start(): void {
    this.stopped = false;
    const ws = new WebSocket(channelUrl());
    this.socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', role: 'teacher', key: this.key }));
    ws.onmessage = (event) => {
      let message: ServerMessage;
      try {
        message = JSON.parse(String(event.data)) as ServerMessage;
      } catch {
        return;
      }
      switch (message.type) {
        case 'teacher-ready':
          this.set({
            status: 'ready',
            limitedForS: null,
            serverRestarting: false,
            classes: message.classes,
            lanOrigins: message.lanOrigins,
            publicOrigin: message.publicOrigin,
          });
          if (this.watching) this.send({ type: 'watch', code: this.watching });
          break;
        case 'classes':
          this.set({ classes: message.classes });
          break;
        case 'class-created':
          this.set({ created: message.class.code, error: null });
          break;
        case 'board':
          if (message.board.code === this.watching) this.set({ board: message.board, error: null });
          break;
        case 'class-deleted':
          if (message.code === this.watching) this.set({ board: null });
          this.set({ deleted: message.code, classes: this.state.classes.filter((entry) => entry.code !== message.code) });
          break;
        case 'member-attempts':
          if (message.code === this.watching)
            this.set({ attempts: { code: message.code, memberId: message.memberId, name: message.name, attempts: message.attempts } });
          break;
        case 'member-server-checks': {
          const { type: _type, ...checks } = message;
          if (message.code === this.watching) this.set({ serverChecks: checks });
          break;
        }
        case 'export':
          this.exports.get(`${message.code}/${message.format}`)?.(message.text);
          this.exports.delete(`${message.code}/${message.format}`);
          break;
        case 'error':
          this.set({ error: message.error });
          break;
        default:
          break;
      }
    };
    ws.onclose = (event) => {
      if (this.socket !== ws) return;
      this.socket = null;
      if (event.code === CLASS_CLOSE.teacherKeyRequired) {
        this.set({ status: 'refused' });
        return;
      }
      if (event.code === CLASS_CLOSE.teacherKeyLimited) {
        // every key from this address is refused unheard until then: asking sooner only prolongs it
        const waitS = keyLimitWaitS(event);
        this.set({ status: 'limited', limitedForS: waitS });
        if (!this.stopped) this.retry = setTimeout(() => this.start(), waitS * 1000);
        return;
      }
      this.set({ status: 'closed', serverRestarting: this.state.serverRestarting || event.code === CLASS_CLOSE.serverGoingAway });
      // 4307: this browser's requests now reach another instance; the channel follows them at once
      if (!this.stopped) this.retry = setTimeout(() => this.start(), event.code === CLASS_CLOSE.moved ? 0 : 1000);
    };
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const ws = this.socket;
    this.socket = null;
    ws?.close();
  }

  createClass(title: string): void {
    this.send({ type: 'create-class', title });
  }

  watch(code: string | null): void {
    this.watching = code;
    this.set({ board: null, attempts: null, serverChecks: null });
    if (code) this.send({ type: 'watch', code });
  }

  /** The answer comes as every watcher's: a new board, or an error. */
  renameMember(code: string, memberId: number, name: string): void {
    this.send({ type: 'rename-member', code, memberId, name });
  }

  removeMember(code: string, memberId: number): void {
    this.send({ type: 'remove-member', code, memberId });
  }

  deleteClass(code: string): void {
    this.send({ type: 'delete-class', code });
  }

  /** One student's attempts: they come as `attempts` (again after each board change while the panel is open). */
  memberAttempts(code: string, memberId: number): void {
    this.send({ type: 'member-attempts', code, memberId });
  }

  closeAttempts(): void {
    this.set({ attempts: null });
  }

  /** One student's latest run of a protocol's suite: it comes as `serverChecks` (again when their board cell changes). */
  memberServerChecks(code: string, memberId: number, protocol: CheckedProtocol): void {
    this.send({ type: 'member-server-checks', code, memberId, protocol });
  }

  closeServerChecks(): void {
    this.set({ serverChecks: null });
  }

  endClass(code: string): void {
    this.send({ type: 'end-class', code });
  }

  reopenClass(code: string): void {
    this.send({ type: 'reopen-class', code });
  }

  /** text null: the message is taken down */
  notice(code: string, text: string | null): void {
    this.send({ type: 'notice', code, text });
  }

  /** minutes null: the timer stops */
  timer(code: string, minutes: number | null): void {
    this.send({ type: 'timer', code, minutes });
  }

  /** The students' writes refused (on) or allowed again. */
  freeze(code: string, on: boolean): void {
    this.send({ type: 'freeze', code, on });
  }

  /** "Everyone: this exercise now"; lesson null: the assignment is cleared */
  assign(code: string, lesson: string | null, exercise: string | null): void {
    this.send(lesson === null ? { type: 'assign', code, lesson: null } : { type: 'assign', code, lesson, exercise });
  }

  resetData(code: string): void {
    this.send({ type: 'reset-data', code });
  }

  export(code: string, format: 'csv' | 'json'): Promise<string> {
    return new Promise((resolve) => {
      this.exports.set(`${code}/${format}`, resolve);
      this.send({ type: 'export', code, format });
    });
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): TeacherState => this.state;

  private send(message: unknown): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private set(next: Partial<TeacherState>): void {
    this.state = { ...this.state, ...next };
    for (const listener of this.listeners) listener();
  }
}

export function useTeacherChannel(channel: TeacherChannel): TeacherState {
  return useSyncExternalStore(channel.subscribe, channel.getState);
}

// ---- leading: the teacher's lesson tabs push where they are --------------------------------

export function leadingClass(): string | null {
  try {
    return localStorage.getItem(LEADING_STORAGE);
  } catch {
    return null;
  }
}

type LeadListener = () => void;

/** The lead bar's count: students online, those whose page goes where the teacher goes, those who follow but wait (the desk says why). */
export interface FollowerCount {
  online: number;
  follow: number;
  waiting: number;
}

export function followerCount(board: Board): FollowerCount {
  const online = board.members.filter((member) => member.online);
  const following = online.filter((member) => member.following);
  return {
    online: online.length,
    follow: following.filter((member) => member.waits === null).length,
    waiting: following.filter((member) => member.waits !== null).length,
  };
}
interface LeadState {
  code: string | null;
  status: 'off' | 'connecting' | 'open';
  /** the lead channel closed with 1001 (the server shutting down), until it leads again */
  serverRestarting: boolean;
  /** the cell (`<lesson>/<cell>`) the server last confirmed as sent to the followers, and when */
  sentCell: { key: string; at: number } | null;
  /** the server refused the last cell sent */
  cellRefused: boolean;
  /** who of the class follows, from the board the leading channel watches (null until it comes) */
  followers: FollowerCount | null;
  /** the shared capture this tab last put on the class's screens: asked, confirmed by the server, or refused (NO_SUCH_CAPTURE) */
  shownCapture: { id: string; state: 'asked' | 'shown' | 'refused' } | null;
}
let leadState: LeadState = {
  code: leadingClass(),
  status: 'off',
  serverRestarting: false,
  sentCell: null,
  cellRefused: false,
  followers: null,
  shownCapture: null,
};
const leadListeners = new Set<LeadListener>();
let leadSocket: WebSocket | null = null;
let leadTimer: ReturnType<typeof setInterval> | null = null;
/** The `navigate` this tab last sent on its lead channel: a place is sent again only when it changes. */
let placeSent = '';

function setLead(next: Partial<typeof leadState>): void {
  leadState = { ...leadState, ...next };
  for (const listener of leadListeners) listener();
}

/** This tab leads the class: it tells the server its place (and its traffic goes to followers). */
export function startLeading(code: string): void {
  try {
    localStorage.setItem(LEADING_STORAGE, code);
  } catch {
    // this tab only
  }
  setLead({ code });
  connectLead();
}

export function stopLeading(): void {
  try {
    localStorage.removeItem(LEADING_STORAGE);
  } catch {
    // nothing kept
  }
  setLead({ code: null, status: 'off', serverRestarting: false, followers: null, shownCapture: null });
  if (leadTimer) clearInterval(leadTimer);
  leadTimer = null;
  const ws = leadSocket;
  leadSocket = null;
  ws?.close();
}

function connectLead(): void {
  const key = takeTeacherKeyQuietly();
  const code = leadState.code;
  if (!key || !code || leadSocket) return;
  setLead({ status: 'connecting' });
  const ws = new WebSocket(channelUrl());
  leadSocket = ws;
  ws.onopen = () => {
    ws.send(JSON.stringify({ type: 'hello', role: 'teacher', key }));
    ws.send(JSON.stringify({ type: 'lead', code }));
  };
  ws.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as ServerMessage;
    if (message.type === 'cell-sent') setLead({ sentCell: { key: `${message.lesson}/${message.cell}`, at: Date.now() }, cellRefused: false });
    if (message.type === 'error' && message.error === 'BAD_CELL') setLead({ cellRefused: true });
    if (message.type === 'board' && message.board.code === code) setLead({ followers: followerCount(message.board) });
    if (message.type === 'capture-shown' || (message.type === 'error' && message.error === 'NO_SUCH_CAPTURE')) captureAnswered(message);
    if (message.type !== 'leading') return;
    // the lead bar counts who follows: the board of the class comes to this channel too
    ws.send(JSON.stringify({ type: 'watch', code }));
    setLead({ status: 'open', serverRestarting: false });
    placeSent = '';
    if (leadTimer) clearInterval(leadTimer);
    const tell = () => {
      const navigation = leadingTabPlace();
      const text = navigation ? JSON.stringify({ type: 'navigate', ...navigation }) : '';
      if (!text || text === placeSent || ws.readyState !== WebSocket.OPEN) return;
      placeSent = text;
      ws.send(text);
    };
    tell();
    leadTimer = setInterval(tell, WATCH_EVERY_MS);
  };
  ws.onclose = (event) => {
    if (leadSocket !== ws) return;
    leadSocket = null;
    if (leadTimer) clearInterval(leadTimer);
    leadTimer = null;
    if (event.code === CLASS_CLOSE.teacherKeyRequired) {
      stopLeading();
      return;
    }
    setLead({ status: 'connecting', ...(event.code === CLASS_CLOSE.serverGoingAway ? { serverRestarting: true } : {}) });
    // 4307: the teacher's requests now reach another instance; leading goes there at once, so the
    // relay reads the captures of the instance that records the teacher's runs
    setTimeout(connectLead, event.code === CLASS_CLOSE.teacherKeyLimited ? keyLimitWaitS(event) * 1000 : event.code === CLASS_CLOSE.moved ? 0 : 1000);
  };
}

/**
 * Where this leading tab takes the class: its lesson's place, or the shared capture it showed
 * the class while it is on that capture's page (so a channel opened again — a restart, a move to
 * another instance — puts it back for the followers). Any other page — another capture opened to
 * look at, the desk, "not found" — moves nobody.
 */
function leadingTabPlace(): TeacherNavigation | null {
  const navigation = navigationOf(window.location.pathname, window.location.hash);
  if (navigation) return navigation;
  const route = parseRoute(window.location.pathname);
  const shown = leadState.shownCapture;
  return route.kind === 'capture' && shown?.id === route.id && shown.state !== 'refused' ? { capture: route.id } : null;
}

/**
 * «Показать классу» / "Show to the class": every student who follows opens this shared capture,
 * in their own language, read-only; so do those who follow later. The server relays only a capture
 * it keeps (else NO_SUCH_CAPTURE). False: this tab does not lead a class right now.
 */
export function showCaptureToClass(id: string): boolean {
  if (leadSocket?.readyState !== WebSocket.OPEN || leadState.status !== 'open') return false;
  const text = JSON.stringify({ type: 'navigate', capture: id } satisfies ClientMessage);
  setLead({ shownCapture: { id, state: 'asked' } });
  placeSent = text;
  leadSocket.send(text);
  return true;
}

function captureAnswered(message: Extract<ServerMessage, { type: 'capture-shown' } | { type: 'error' }>): void {
  const shown = leadState.shownCapture;
  if (!shown || shown.state !== 'asked') return;
  if (message.type === 'capture-shown') {
    if (message.capture === shown.id) setLead({ shownCapture: { id: shown.id, state: 'shown' } });
    return;
  }
  // refused: the teacher's next place in the lessons goes out as a move, whatever was sent before
  placeSent = '';
  setLead({ shownCapture: { id: shown.id, state: 'refused' } });
}

/**
 * This tab's version of a cell to the students who follow (the server blanks the teacher's
 * secrets in it first). False: this tab does not lead a class right now.
 */
export function pushCell(lesson: string, cell: string, value: unknown): boolean {
  if (leadSocket?.readyState !== WebSocket.OPEN || leadState.status !== 'open') return false;
  setLead({ sentCell: null, cellRefused: false });
  leadSocket.send(JSON.stringify({ type: 'push-cell', lesson, cell, value }));
  return true;
}

function takeTeacherKeyQuietly(): string | null {
  try {
    return localStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

/** A tab opened while the teacher leads a class leads it too (the latest navigation wins). */
export function startLeadingIfAsked(): void {
  if (leadState.code) connectLead();
}

export function useLeading(): LeadState {
  return useSyncExternalStore(
    (listener) => {
      leadListeners.add(listener);
      return () => leadListeners.delete(listener);
    },
    () => leadState,
  );
}
