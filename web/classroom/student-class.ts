import { useSyncExternalStore } from 'react';
import { navigate } from '../kit/router.tsx';
import { watchTyping, workInProgress, type WorkKind } from '../kit/work-in-progress.ts';
import { onExerciseEvent, setBoardVerdict, type ExerciseEvent } from '../lessons/exercise-events.ts';
import { markPassed, passesMadeHere, readProgress } from '../lessons/progress.ts';
import type { ServerVerdict } from '../../contracts/exercise-checks/verdict.ts';
import { CLASS_CLOSE, MEMBER_OUT_CLOSE, type CellDraft, type ClassStatus, type MemberOutReason } from '../../contracts/class-channel/messages.ts';
import { channelUrl, pageLang, type BoardResult, type Navigation, type ServerMessage } from './class-protocol.ts';
import type { ClassErrorCode } from './strings.ts';
import { deliverTeacherWire, type TeacherWireData } from './teacher-wire-sink.ts';

const MEMBERSHIP_KEY = 'wirelab.class.member.v1';
const FOLLOW_KEY = 'wirelab.class.following';
/** The board's idle time comes from these; one per this long at most. */
const ACTIVE_EVERY_MS = 20_000;

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
  /** the message the student closed (its time): a new one shows again */
  dismissedNoticeMs: number | null;
  /** the teacher reset this browser's data (when), shown until the student closes it */
  dataResetMs: number | null;
  /** the teacher's versions of cells (by `<lesson>/<cell>`, the cell's save key), offered on those cells until taken or dismissed */
  cellDrafts: Record<string, CellDraft>;
  /**
   * Following waits: the teacher moved while the student was in the middle of something
   * (followPauseReason); where the teacher is, offered as a link until the student goes or follows again.
   */
  followPaused: { navigation: Navigation; reason: FollowPauseReason } | null;
}

/** Why following the teacher waits instead of moving the page. */
export type FollowPauseReason = WorkKind | 'assignment' | 'class-page';

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
  dismissedNoticeMs: null,
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

function setState(next: Partial<StudentState>): void {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
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
    void import('./teacher-captures.ts');
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
  const body = (await response.json().catch(() => ({}))) as Partial<Membership> & { error?: ClassErrorCode; results?: BoardResult[] };
  if (!response.ok) return { ok: false, error: body.error ?? 'NETWORK' };
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
  setState({ membership: null, serverRestarting: false, teacherTraffic: false, leftBecause: because, classStatus: null, cellDrafts: {} });
}

/** The teacher's version of a cell is no longer offered (taken or dismissed). */
export function dropCellDraft(saveKey: string): void {
  const { [saveKey]: _dropped, ...rest } = state.cellDrafts;
  setState({ cellDrafts: rest });
}

export function dismissLeftNotice(): void {
  setState({ leftBecause: null });
}

/** The teacher's message is closed on this page until the teacher sends another. */
export function dismissDataReset(): void {
  setState({ dataResetMs: null });
}

export function dismissTeacherNotice(): void {
  setState({ dismissedNoticeMs: state.classStatus?.notice?.sentMs ?? null });
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
  const body = (await response.json().catch(() => ({}))) as { verdict?: ServerVerdict; error?: string };
  if (!event.passed) return;
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

/** Where following takes this page for the teacher's `navigation`, in the page's language. */
export function followTarget(navigation: Navigation): string {
  const lang = pageLang();
  const path = navigation.lesson ? `/${lang}/${navigation.lesson}` : `/${lang}/`;
  return `${path}${navigation.section ? `#${navigation.section}` : ''}`;
}

/**
 * Why following must not move this page now (null: it may): a check running, an editor typed in
 * a moment ago, the assigned exercise's lesson open, the class page (which shows the rejoin code) when
 * `onJoin`: the teacher's place replayed on joining, not a move of the teacher's.
 * Moving would abort the check, take the student from their work, or from what they must read.
 */
export function followPauseReason(pathname = window.location.pathname, onJoin = false): FollowPauseReason | null {
  const work = workInProgress();
  if (work) return work;
  const lang = pageLang();
  const assignment = state.classStatus?.assignment;
  if (assignment && pathname === `/${lang}/${assignment.lesson}`) return 'assignment';
  // The place the server replays right after joining: the join page is showing the rejoin code.
  if (onJoin && pathname === `/${lang}/class`) return 'class-page';
  return null;
}

function follow({ onJoin, ...navigation }: Navigation & { onJoin?: true }): void {
  if (!state.following) return;
  const target = followTarget(navigation);
  if (`${window.location.pathname}${window.location.hash}` === target) {
    if (state.followPaused) setState({ followPaused: null });
    return;
  }
  const reason = followPauseReason(window.location.pathname, onJoin === true);
  if (reason) {
    setState({ followPaused: { navigation, reason } });
    return;
  }
  if (state.followPaused) setState({ followPaused: null });
  navigate(target);
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
    } else if (message.type === 'navigate') follow(message);
    else if (message.type === 'teacher-wire') {
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
    const delay = Math.min(10_000, 500 * 2 ** failures);
    failures += 1;
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
