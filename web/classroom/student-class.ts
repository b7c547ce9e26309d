import { importAgain } from '../../shared/import-again.ts';
import { useSyncExternalStore } from 'react';
import { navigate } from '../kit/router.tsx';
import { parseRoute } from '../kit/routes.ts';
import { watchTyping, workInProgress } from '../kit/work-in-progress.ts';
import { onExerciseEvent, setBoardVerdict, setMissCount, type ExerciseEvent, type MissCount } from '../lessons/exercise-events.ts';
import { markPassed, passesMadeHere, readProgress } from '../lessons/progress.ts';
import type { ServerVerdict } from '../../contracts/exercise-checks/verdict.ts';
import {
  CLASS_CLOSE,
  MEMBER_OUT_CLOSE,
  type ClassAssignment,
  type CellDraft,
  type ClassStatus,
  type FollowWait,
  type MemberOutReason,
  type TeacherNavigation,
} from '../../contracts/class-channel/messages.ts';
import { sharedCapturePagePath } from '../../contracts/shared-capture/shared-capture.ts';
import { channelUrl, pageLang, type BoardResult, type ServerMessage } from './class-protocol.ts';
import type { ClassErrorCode } from './strings.ts';
import { navigationOf } from './page-place.ts';
import { deliverTeacherWire, type TeacherWireData } from './teacher-wire-sink.ts';

const MEMBERSHIP_KEY = 'wirelab.class.member.v1';
const FOLLOW_KEY = 'wirelab.class.following';
/** The board's idle time comes from these; one per this long at most. */
const ACTIVE_EVERY_MS = 20_000;
/** How often the page looks whether its place changed (the reader moves the hash while scrolling): the desk shows it. */
const PLACE_EVERY_MS = 1000;

/** Kept in this browser (localStorage): who the student is in which class. */
export interface Membership {
  code: string;
  title: string;
  name: string;
  /** shown to the student: with the name it claims the name again on another computer */
  rejoinCode: string;
  /** sent with progress reports and the channel's hello; a new join elsewhere replaces it */
  memberToken: string;
}

export interface StudentState {
  membership: Membership | null;
  following: boolean;
  channel: 'closed' | 'connecting' | 'open';
  /** the channel closed with 1001 (the server shutting down): the bar says the server is restarting until it is back */
  serverRestarting: boolean;
  /** the teacher's traffic has arrived since joining */
  teacherTraffic: boolean;
  /** why this browser is no longer in the class, shown until the student dismisses it or joins again */
  leftBecause: LeftBecause | null;
  /** the class's state as the server last said: ended, the teacher's message, the timer */
  classStatus: ClassStatus | null;
  /** the server's clock minus this browser's when the state came: a timer counts down to the server's end */
  serverClockOffset: number;
  /** the notices the student closed (class-notices.tsx): notice → the version closed; a new version shows again */
  dismissedNotices: Record<string, string>;
  /** the teacher reset this browser's data (when), shown until the student closes it */
  dataResetMs: number | null;
  /** the teacher's versions of cells (by `<lesson>/<cell>`, the cell's save key), offered on those cells until taken or dismissed */
  cellDrafts: Record<string, CellDraft>;
  /**
   * Following waits: the teacher moved while the student was in the middle of something
   * (followPauseReason); where the teacher is, offered as a link until the student goes or follows again.
   */
  followPaused: { navigation: TeacherNavigation; reason: FollowPauseReason } | null;
}

/** Why following the teacher waits instead of moving the page (contracts/class-channel: FollowWait). */
export type FollowPauseReason = FollowWait;

/** The server closed this browser's class channel: the name joined from another browser, the teacher removed the student or deleted the class. */
export type LeftBecause = MemberOutReason;
/** The class channel's close codes for those (contracts/class-channel: MEMBER_OUT_CLOSE). */
const LEFT_BECAUSE: Record<number, LeftBecause> = Object.fromEntries(
  Object.entries(MEMBER_OUT_CLOSE).map(([reason, close]) => [close.code, reason as LeftBecause]),
);

export type JoinResult = { ok: true; membership: Membership } | { ok: false; error: ClassErrorCode };

let state: StudentState = {
  membership: readMembership(),
  following: readFollowing(),
  channel: 'closed',
  serverRestarting: false,
  teacherTraffic: false,
  leftBecause: null,
  classStatus: null,
  serverClockOffset: 0,
  dismissedNotices: {},
  dataResetMs: null,
  cellDrafts: {},
  followPaused: null,
};
const listeners = new Set<() => void>();
let socket: WebSocket | null = null;
let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
let failures = 0;
let lastActiveSent = 0;
let pendingReports: ExerciseEvent[] = [];
/** passes reported while the class had ended: sent again when the teacher reopens it */
let heldWhileEnded: ExerciseEvent[] = [];
/**
 * The teacher's place this page was last told (JSON of the navigation), null before the first:
 * the place the server replays when the channel opens again is a move only when it differs.
 */
let teacherPlace: string | null = null;
/** The exercises (`<lesson>/<exercise>`) tried and missed on this page: one of them assigned and not passed is work in progress. */
const triedHere = new Set<string>();
/** The `place` message last sent on this channel. */
let placeSent = '';

function setState(next: Partial<StudentState>): void {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
  tellPlace();
}

function readMembership(): Membership | null {
  try {
    const parsed = JSON.parse(localStorage.getItem(MEMBERSHIP_KEY) ?? 'null') as Membership | null;
    return parsed && typeof parsed.memberToken === 'string' && typeof parsed.code === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

function readFollowing(): boolean {
  try {
    return localStorage.getItem(FOLLOW_KEY) !== 'off';
  } catch {
    return true;
  }
}

function saveMembership(membership: Membership | null): void {
  try {
    if (membership) localStorage.setItem(MEMBERSHIP_KEY, JSON.stringify(membership));
    else localStorage.removeItem(MEMBERSHIP_KEY);
  } catch {
    // private mode: the membership lasts as long as the page
  }
}

// ---- the teacher's traffic ------------------------------------------------------------------

let teacherCapturesLoading = false;

/**
 * The teacher-wire part of the class channel goes to teacher-captures.ts, loaded with the first
 * of it (the decoders stay out of the pages that never need them); until then it waits in
 * teacher-wire-sink.ts.
 */
function toTeacherWire(data: TeacherWireData): void {
  const kept = deliverTeacherWire(data);
  if (kept && !teacherCapturesLoading) {
    teacherCapturesLoading = true;
    // given up (importAgain): the next part of the teacher's wire asks for it again
    importAgain(() => import('./teacher-captures.ts')).catch(() => {
      teacherCapturesLoading = false;
    });
  }
}

// ---- joining --------------------------------------------------------------------------------

export async function joinClass(code: string, name: string, rejoinCode: string): Promise<JoinResult> {
  let response: Response;
  try {
    response = await fetch('/_wirelab/class/join', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, name, rejoinCode: rejoinCode || undefined }),
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, error: 'NETWORK' };
  }
  const body = (await response.json().catch(() => ({}))) as Partial<Membership> & { error?: ClassErrorCode; lookalike?: boolean; results?: BoardResult[] };
  if (!response.ok) return { ok: false, error: body.error === 'NAME_TAKEN' && body.lookalike ? 'NAME_LOOKALIKE' : (body.error ?? 'NETWORK') };
  const membership: Membership = { code: body.code!, title: body.title!, name: body.name!, rejoinCode: body.rejoinCode!, memberToken: body.memberToken! };
  saveMembership(membership);
  setState({ membership, following: true, teacherTraffic: false, leftBecause: null });
  saveFollowing(true);
  continueWhereLeft(body.results ?? []);
  openChannel();
  return { ok: true, membership };
}

/**
 * The server's results come back into this browser (a student on a new computer continues where
 * they were); what this browser passed before joining goes to the server, which counts what its
 * own captures of this browser show (a pass a progress file brought is not sent at all).
 */
function continueWhereLeft(results: BoardResult[]): void {
  const onServer = new Set(results.filter((result) => result.passedMs !== null).map((result) => `${result.lesson}/${result.exercise}`));
  for (const result of results) if (result.passedMs !== null) markPassed(result.lesson, result.exercise, { announce: false });
  for (const { lesson, exercise } of passesMadeHere(readProgress())) {
    if (!onServer.has(`${lesson}/${exercise}`)) pendingReports.push({ lesson, exercise, passed: true });
  }
  void flushReports();
}

export function leaveClass(because: LeftBecause | null = null): void {
  saveMembership(null);
  closeChannel();
  teacherPlace = null;
  setState({ membership: null, serverRestarting: false, teacherTraffic: false, leftBecause: because, classStatus: null, cellDrafts: {}, followPaused: null });
}

/** The teacher's version of a cell is no longer offered (taken or dismissed). */
export function dropCellDraft(saveKey: string): void {
  const { [saveKey]: _dropped, ...rest } = state.cellDrafts;
  setState({ cellDrafts: rest });
}

export function dismissLeftNotice(): void {
  setState({ leftBecause: null });
}

/** A notice closed by the student: hidden from the pinned ones until its next version, or until brought back. */
export function dismissNotice(notice: string, version: string): void {
  setState({ dismissedNotices: { ...state.dismissedNotices, [notice]: version } });
}

/** A closed notice pinned again. */
export function bringBackNotice(notice: string): void {
  const { [notice]: _brought, ...rest } = state.dismissedNotices;
  setState({ dismissedNotices: rest });
}

function saveFollowing(on: boolean): void {
  try {
    localStorage.setItem(FOLLOW_KEY, on ? 'on' : 'off');
  } catch {
    // the default (following) is fine
  }
}

export function setFollowing(on: boolean): void {
  saveFollowing(on);
  setState({ following: on, followPaused: null });
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'follow', on }));
}

// ---- progress ---------------------------------------------------------------------------------

onExerciseEvent((event) => {
  if (!event.passed) triedHere.add(`${event.lesson}/${event.exercise}`);
  if (!state.membership) return;
  pendingReports.push(event);
  void flushReports();
});

let flushing = false;
async function flushReports(): Promise<void> {
  if (flushing || !state.membership) return;
  flushing = true;
  try {
    while (pendingReports.length > 0 && state.membership) {
      const [event] = pendingReports;
      let response: Response;
      try {
        response = await fetch('/_wirelab/class/progress', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-wirelab-member': state.membership.memberToken },
          body: JSON.stringify(event),
          credentials: 'same-origin',
        });
      } catch {
        return; // offline: kept, sent when the channel is back
      }
      if (response.status === 429) return;
      if (response.status === 401) {
        leaveClass();
        return;
      }
      await noteVerdict(event, response);
      // anything else is done with, kept or not
      pendingReports.shift();
    }
  } finally {
    flushing = false;
  }
}

/**
 * What the server kept of a report: a pass it found in its own captures, or why not (the exercise
 * card says so); a pass refused because the class had ended waits for the class to reopen.
 */
async function noteVerdict(event: ExerciseEvent, response: Response): Promise<void> {
  const body = (await response.json().catch(() => ({}))) as { verdict?: ServerVerdict; error?: string } & Partial<MissCount>;
  if (!event.passed) {
    // the card says whether the server counted the miss, and why not, as the server answered
    if (body.counted === true) setMissCount(event, { counted: true });
    else if (body.counted === false && body.why) setMissCount(event, { counted: false, why: body.why });
    return;
  }
  if (response.status === 403 && body.error === 'CLASS_ENDED') {
    heldWhileEnded.push(event);
    setBoardVerdict(event.lesson, event.exercise, { passed: false, why: 'ended' });
  } else if (body.verdict) setBoardVerdict(event.lesson, event.exercise, body.verdict.passed ? null : body.verdict);
}

/** The class reopened: the passes held while it had ended go now. */
function reportHeldPasses(status: ClassStatus): void {
  if (status.endedMs !== null || heldWhileEnded.length === 0) return;
  pendingReports.push(...heldWhileEnded);
  heldWhileEnded = [];
  void flushReports();
}

// ---- the class channel ------------------------------------------------------------------------

/**
 * Where following takes this page for the teacher's `navigation`, in the page's language: a
 * lesson's place, or the page of the shared capture the teacher put on the class's screens.
 */
export function followTarget(navigation: TeacherNavigation): string {
  const lang = pageLang();
  if ('capture' in navigation) return sharedCapturePagePath(lang, navigation.capture);
  const path = navigation.lesson ? `/${lang}/${navigation.lesson}` : `/${lang}/`;
  return `${path}${navigation.section ? `#${navigation.section}` : ''}`;
}

/** The page is where the teacher sent the class (a shared capture's page, whatever frame its address points at). */
function isAt(navigation: TeacherNavigation): boolean {
  const target = followTarget(navigation);
  return 'capture' in navigation ? window.location.pathname === target : `${window.location.pathname}${window.location.hash}` === target;
}

/**
 * Why following must not move this page now (null: it may): a check running, an editor typed in
 * a moment ago, the assigned exercise tried and not yet passed on its lesson's page (a student who
 * passed it, or never started it, follows), the class page (which shows the rejoin code) when
 * `onJoin`: the teacher's place replayed on joining, not a move of the teacher's.
 * Moving would abort the check, take the student from their work, or from what they must read.
 */
export function followPauseReason(pathname = window.location.pathname, onJoin = false): FollowPauseReason | null {
  const work = workInProgress();
  if (work) return work;
  const lang = pageLang();
  const assignment = state.classStatus?.assignment;
  if (assignment && pathname === `/${lang}/${assignment.lesson}` && workingOn(assignment)) return 'assignment';
  // The place the server replays right after joining: the join page is showing the rejoin code.
  if (onJoin && pathname === `/${lang}/class`) return 'class-page';
  return null;
}

/** Tried on this page and not passed in this browser. */
function workingOn({ lesson, exercise }: ClassAssignment): boolean {
  return triedHere.has(`${lesson}/${exercise}`) && !readProgress()[lesson]?.[exercise];
}

/**
 * A move of the teacher's, or the place replayed when the channel opens (`onJoin`). The replay is
 * no move: on a page the student opened themselves (a reload, another lesson, the course page) it
 * leaves them there with the way to the teacher, and the teacher's next move takes them; after a
 * reconnect it moves the page only if the teacher moved meanwhile.
 */
function follow({ onJoin, ...navigation }: TeacherNavigation & { onJoin?: true }): void {
  const place = JSON.stringify(navigation);
  const replayed = onJoin === true;
  const firstOnThisPage = teacherPlace === null;
  const moved = !replayed || teacherPlace !== place;
  teacherPlace = place;
  if (!state.following || !moved) return;
  if (isAt(navigation)) {
    if (state.followPaused) setState({ followPaused: null });
    return;
  }
  const reason = followPauseReason(window.location.pathname, replayed) ?? (replayed && firstOnThisPage ? 'own-page' : null);
  if (reason) {
    setState({ followPaused: { navigation, reason } });
    return;
  }
  if (state.followPaused) setState({ followPaused: null });
  navigate(followTarget(navigation));
}

/** A student who went where the teacher is by themselves no longer waits; the desk hears the place. */
function watchPlace(): void {
  const paused = state.followPaused;
  if (paused && isAt(paused.navigation)) setState({ followPaused: null });
  else tellPlace();
}

/**
 * Tells the server where this page is and why it does not follow (the desk shows both): at
 * joining, and whenever either changes.
 */
function tellPlace(): void {
  if (socket?.readyState !== WebSocket.OPEN || state.channel !== 'open') return;
  const place = navigationOf(window.location.pathname, window.location.hash);
  const route = parseRoute(window.location.pathname);
  const waits = state.following && state.followPaused ? state.followPaused.reason : null;
  // a shared capture's page says which; a page that is no lesson is sent as such: the server keeps no place for it
  const text = JSON.stringify(
    route.kind === 'capture'
      ? { type: 'place', capture: route.id, waits }
      : { type: 'place', lesson: place ? place.lesson : 'other-page', section: place?.section ?? '', waits },
  );
  if (text === placeSent) return;
  placeSent = text;
  socket.send(text);
}

/** The student chose to go where the teacher is (the paused line's button). */
export function goWhereTheTeacherIs(): void {
  const paused = state.followPaused;
  if (!paused) return;
  setState({ followPaused: null });
  navigate(followTarget(paused.navigation));
}

function openChannel(): void {
  const membership = state.membership;
  if (!membership || socket) return;
  setState({ channel: 'connecting' });
  const ws = new WebSocket(channelUrl());
  ws.binaryType = 'arraybuffer';
  socket = ws;
  ws.onopen = () => {
    failures = 0;
    ws.send(JSON.stringify({ type: 'hello', role: 'student', token: membership.memberToken, following: state.following }));
  };
  ws.onmessage = (event) => {
    if (event.data instanceof ArrayBuffer) {
      if (!state.teacherTraffic) setState({ teacherTraffic: true });
      toTeacherWire(event.data);
      return;
    }
    let message: ServerMessage;
    try {
      message = JSON.parse(String(event.data)) as ServerMessage;
    } catch {
      return;
    }
    if (message.type === 'joined' || message.type === 'renamed') {
      // the teacher may have renamed the student since this browser joined
      if (state.membership && message.name !== state.membership.name) {
        const membership = { ...state.membership, name: message.name };
        saveMembership(membership);
        setState({ membership });
      }
      if (message.type === 'joined') {
        placeSent = '';
        setState({ channel: 'open', serverRestarting: false });
        sendVisibility();
        void flushReports();
      }
    } else if (message.type === 'class-status') {
      setState({ classStatus: message.status, serverClockOffset: message.now - Date.now() });
      reportHeldPasses(message.status);
    } else if (message.type === 'data-reset') setState({ dataResetMs: Date.now() });
    else if (message.type === 'cell-draft') {
      const { type: _type, ...draft } = message;
      setState({ cellDrafts: { ...state.cellDrafts, [`${draft.lesson}/${draft.cell}`]: draft } });
    } else if (message.type === 'navigate') {
      const { type: _type, ...navigation } = message;
      follow(navigation);
    } else if (message.type === 'teacher-wire') {
      if (message.message.type !== 'reset' && !state.teacherTraffic) setState({ teacherTraffic: true });
      toTeacherWire(JSON.stringify(message.message));
    }
  };
  ws.onclose = (event) => {
    if (socket !== ws) return;
    socket = null;
    setState({ channel: 'closed' });
    // 4409 / 4410 / 4411: this name joined again from another browser, the teacher removed the
    // student or deleted the class: out at once, saying why. 4401: the token stopped working while this page was away.
    if (event.code in LEFT_BECAUSE || event.code === CLASS_CLOSE.notAMember) {
      leaveClass(LEFT_BECAUSE[event.code] ?? null);
      return;
    }
    if (event.code === CLASS_CLOSE.serverGoingAway) {
      // A restart, not a failure: the first attempt comes soon, the backoff grows from there.
      setState({ serverRestarting: true });
      failures = 0;
    }
    // 4307: this browser's requests now reach another instance; the channel follows them at once
    const moved = event.code === CLASS_CLOSE.moved;
    const delay = moved ? 0 : Math.min(10_000, 500 * 2 ** failures);
    if (!moved) failures += 1;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      openChannel();
    }, delay);
  };
}

function closeChannel(): void {
  if (reconnectTimer) clearTimeout(reconnectTimer);
  reconnectTimer = null;
  const ws = socket;
  socket = null;
  ws?.close();
}

/** The board's "watching": the server hears whether this page is in view (Page Visibility API). */
function sendVisibility(): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'visible', on: document.visibilityState === 'visible' }));
}

function noteActivity(): void {
  const now = Date.now();
  if (now - lastActiveSent < ACTIVE_EVERY_MS || socket?.readyState !== WebSocket.OPEN) return;
  lastActiveSent = now;
  socket.send(JSON.stringify({ type: 'active' }));
}

let started = false;
/** Reconnects a student who joined before (this browser keeps the membership). */
export function startStudentClass(): void {
  if (started) return;
  started = true;
  window.addEventListener('pointerdown', noteActivity, { passive: true });
  window.addEventListener('keydown', noteActivity, { passive: true });
  document.addEventListener('visibilitychange', sendVisibility);
  setInterval(watchPlace, PLACE_EVERY_MS);
  watchTyping();
  if (state.membership) openChannel();
}

export function useStudentClass(): StudentState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}
