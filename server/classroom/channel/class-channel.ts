import { timingSafeEqual } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { sessionFromCookie } from '../../session/session-id.ts';
import {
  CLASS_CHANNEL_PATH,
  CLASS_CLOSE,
  FOLLOW_WAITS,
  type Board,
  type ClassSummary,
  type FollowWait,
  type CaptureNavigation,
  type Navigation,
  teacherKeyLimitedReason,
} from '../../../contracts/class-channel/messages.ts';
import { SHARED_CAPTURE_ID } from '../../../contracts/shared-capture/shared-capture.ts';
import { boardToCsv } from '../board/board-csv.ts';
import type { BoardPushes } from '../board/board-pushes.ts';
import { pushCell, type CellPushDeps } from '../controls/cell-drafts.ts';
import { showCapture, type CaptureShowDeps } from '../controls/shown-capture.ts';
import { sendError } from '../class-errors.ts';
import { logClassEvent } from '../class-log.ts';
import type { ClassWriteFreeze } from '../controls/class-write-freeze.ts';
import { normalizeClassCode } from '../names/class-code.ts';
import type { ClassroomFanout } from '../relay/classroom-fanout.ts';
import type { ClassroomStore } from '../stores/classroom-store.ts';
import { cleanClassTitle } from '../names/display-name.ts';
import { followerFrames } from '../relay/follower-frames.ts';
import { LESSON_SLUG, type LessonCatalog } from '../names/lesson-catalog.ts';
import { sendFrames, sendJson, type LiveClass, type LiveClasses, type StudentChannel } from './live-classes.ts';
import { joinOrigins } from '../startup-urls.ts';
import type { TeacherChannelActions } from './teacher-channel-actions.ts';
import type { TeacherRelay } from '../relay/teacher-relay.ts';
import type { TeacherKeyVerdict } from '../../limits/wrong-teacher-keys.ts';

// The class channel (contracts/class-channel/PROTOCOL.md): one WebSocket per page, which says who
// it is in its first message — a student by member token, the teacher by key — and then carries
// that role's messages. Messages are handled one at a time, in order.

/** A channel message larger than this closes the channel (1009). */
const MAX_CHANNEL_MESSAGE = 4096;
/** The teacher's channel carries a cell's draft (CELL_DRAFT_MAX characters, escaped as JSON). */
const MAX_TEACHER_CHANNEL_MESSAGE = 128 * 1024;
/** A channel that has not said who it is by then is closed (4408). */
const HELLO_TIMEOUT_MS = 10_000;
const SECTION = /^[^\u0000-\u001f]{0,200}$/;

export function sameSecret(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** What the channel needs of the classroom plugin. */
export interface ClassChannelDeps {
  teacherKey: string;
  /** a try of the teacher key from this request's address: right, wrong, or refused unheard (too many wrong ones) */
  judgeTeacherKey(request: FastifyRequest, given: unknown): TeacherKeyVerdict;
  store: ClassroomStore;
  lessons: LessonCatalog;
  live: LiveClasses;
  boards: BoardPushes;
  fanout: ClassroomFanout | null;
  /** the teachers' channels on this instance: their class lists follow joins */
  teacherSockets: Set<WebSocket>;
  writeFreeze: ClassWriteFreeze;
  teacherActions: TeacherChannelActions;
  cellPush: CellPushDeps;
  captureShow: CaptureShowDeps;
  /** where the leading teacher sent the class, to the followers here and on the other instances (classroom-live-side.ts) */
  deliverNavigation(code: string, navigation: Navigation): Promise<void>;
  board(code: string): Promise<Board | null>;
  classSummaries(): Promise<ClassSummary[]>;
  classChanged(code: string): void;
  presenceChanged(code: string): void;
  relayOf(code: string, room: LiveClass): TeacherRelay | null;
  /** PUBLIC_URL's origin, if set */
  publicUrl?: string;
}

type Role =
  | { kind: 'none' }
  | { kind: 'teacher'; watching: string | null; leading: string | null }
  | { kind: 'student'; channel: StudentChannel; code: string };
type Message = Record<string, unknown>;

export function classChannelRoute(app: FastifyInstance, deps: ClassChannelDeps): void {
  app.get(
    CLASS_CHANNEL_PATH,
    {
      websocket: true,
      // Before the handshake: a page of another origin gets a plain 403, no WebSocket at all.
      preValidation: async (request, reply) => {
        if (!app.isAllowedOrigin(request)) return sendError(reply.header('connection', 'close'), 403, 'CROSS_ORIGIN');
      },
    },
    (socket: WebSocket, request) => new ClassChannel(app, deps, socket, request).listen(),
  );
}

/** A lesson of the course (or the lesson list: null) and a heading id; null for anything else. */
function readNavigation(message: Message, lessons: LessonCatalog): Navigation | null {
  const lesson = message.lesson === null ? null : typeof message.lesson === 'string' && LESSON_SLUG.test(message.lesson) ? message.lesson : undefined;
  const section = typeof message.section === 'string' && SECTION.test(message.section) ? message.section : '';
  if (lesson === undefined || (lesson !== null && !lessons.hasLesson(lesson))) return null;
  return { lesson, section };
}

/** A shared capture's page a student's page says it is on (its id's shape only: where the page is, nothing is sent on). */
function capturePlace(id: unknown): CaptureNavigation | null {
  return typeof id === 'string' && SHARED_CAPTURE_ID.test(id) ? { capture: id } : null;
}

/** One page's class channel. */
class ClassChannel {
  private role: Role = { kind: 'none' };
  private closed = false;
  private readonly session: string | null;
  private readonly helloTimer: NodeJS.Timeout;
  /** scaled out: the channel closes (4307) when its session's new connections reach another instance (server/scale/session-homes.ts) */
  private readonly unregister: () => void;

  constructor(
    private readonly app: FastifyInstance,
    private readonly deps: ClassChannelDeps,
    private readonly socket: WebSocket,
    private readonly request: FastifyRequest,
  ) {
    this.session = sessionFromCookie(request.headers);
    this.unregister = this.session && app.hasDecorator('sessionChannels') ? app.sessionChannels.register(this.session, socket) : () => {};
    this.helloTimer = setTimeout(() => socket.close(CLASS_CLOSE.noHello, 'no hello'), HELLO_TIMEOUT_MS);
  }

  listen(): void {
    const { socket } = this;
    // One message at a time, in order: a store read must not let a later message overtake it
    // (a follow switch before its hello is answered).
    let queue = Promise.resolve();
    socket.on('message', (raw, isBinary) => {
      const message = this.read(raw, isBinary);
      if (!message) return;
      queue = queue
        .then(() => this.onMessage(message))
        .catch((error: unknown) => {
          this.app.log.warn({ err: error }, 'classroom: a class channel message failed');
          socket.close(1011, 'server error');
        });
    });
    socket.on('close', () => this.onClose());
  }

  /** A JSON object, or nothing (the channel closed for a message that is no short JSON text). */
  private read(raw: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): Message | null {
    const size = Array.isArray(raw) ? raw.reduce((sum, part) => sum + part.length, 0) : raw.byteLength;
    if (isBinary || size > (this.role.kind === 'teacher' ? MAX_TEACHER_CHANNEL_MESSAGE : MAX_CHANNEL_MESSAGE)) {
      this.socket.close(1009, 'class channel messages are short JSON texts');
      return null;
    }
    let message: unknown;
    try {
      message = JSON.parse(String(raw));
    } catch {
      this.socket.close(1007, 'class channel messages are JSON');
      return null;
    }
    return message && typeof message === 'object' && !Array.isArray(message) ? (message as Message) : null;
  }

  private async onMessage(message: Message): Promise<void> {
    if (this.role.kind === 'none') return this.hello(message);
    if (this.role.kind === 'student') return this.studentMessage(this.role.channel, this.role.code, message);
    return this.teacherMessage(this.role, message);
  }

  private async hello(message: Message): Promise<void> {
    if (message.type !== 'hello') return;
    clearTimeout(this.helloTimer);
    if (message.role === 'teacher') return this.teacherHello(message);
    if (message.role === 'student') return this.studentHello(message);
    this.socket.close(1008, 'hello names a role: teacher or student');
  }

  private async teacherHello(message: Message): Promise<void> {
    const { deps, socket } = this;
    const verdict = deps.judgeTeacherKey(this.request, message.key);
    if (!verdict.ok && verdict.limited) {
      socket.close(CLASS_CLOSE.teacherKeyLimited, teacherKeyLimitedReason(verdict.retryAfterS));
      return;
    }
    if (!verdict.ok) {
      socket.close(CLASS_CLOSE.teacherKeyRequired, 'teacher key required');
      return;
    }
    this.role = { kind: 'teacher', watching: null, leading: null };
    if (!this.closed) deps.teacherSockets.add(socket);
    const listening = this.app.server.address() as { address?: string; port?: number } | null;
    sendJson(socket, {
      type: 'teacher-ready',
      classes: await deps.classSummaries(),
      lanOrigins: joinOrigins({
        listeningHost: listening?.address ?? '',
        listeningPort: listening?.port ?? 0,
        hostHeader: this.request.headers.host,
        publicUrl: deps.publicUrl,
        interfaces: networkInterfaces(),
      }),
      publicOrigin: deps.publicUrl ?? null,
    });
  }

  private async studentHello(message: Message): Promise<void> {
    const { deps, socket } = this;
    const member = await deps.store.memberByToken(message.token);
    if (!member) {
      socket.close(CLASS_CLOSE.notAMember, 'not a member');
      return;
    }
    const code = member.classCode;
    // the page's browser session is the member's: its "check my server" runs reach the board (server-checks.ts)
    const [info, status] = await Promise.all([
      deps.store.classByCode(code),
      deps.store.classStatus(code),
      deps.store.touch(member.id),
      this.session ? deps.store.bindSession(member.id, this.session) : undefined,
    ]);
    if (this.closed) return;
    const channel: StudentChannel = {
      socket,
      memberId: member.id,
      following: message.following !== false,
      visible: true,
      session: this.session,
      place: null,
      waits: null,
    };
    this.role = { kind: 'student', channel, code };
    deps.live.room(code).students.add(channel);
    sendJson(socket, { type: 'joined', code, title: info!.title, name: member.name, following: channel.following });
    // the message and timer the teacher set before this page came, and whether the class has ended
    if (status) {
      deps.writeFreeze.note(code, status);
      sendJson(socket, { type: 'class-status', status, now: Date.now() });
    }
    deps.presenceChanged(code);
    if (channel.following) await this.followerStart(code, 'joined');
  }

  /**
   * A follower gets where the teacher is and the teacher's traffic so far. The place replayed on
   * joining says so (`onJoin`): the page may keep a student who just joined on the class page.
   */
  private async followerStart(code: string, why: 'joined' | 'follow-on'): Promise<void> {
    const { fanout, live } = this.deps;
    const room = live.room(code);
    // With several instances the teacher's place is also in Redis: this instance may have
    // started after it was set. One that came live during the read is newer.
    if (fanout && !room.navigation) {
      const stored = await fanout.navigation(code);
      room.navigation ??= stored;
    }
    if (room.navigation) sendJson(this.socket, { type: 'navigate', ...room.navigation, ...(why === 'joined' ? { onJoin: true } : {}) });
    if (room.replay.started) sendFrames(this.socket, followerFrames(room.replay.replay()));
  }

  private async studentMessage(channel: StudentChannel, code: string, message: Message): Promise<void> {
    if (message.type === 'follow' && typeof message.on === 'boolean') {
      const was = channel.following;
      channel.following = message.on;
      this.deps.presenceChanged(code);
      if (message.on && !was) await this.followerStart(code, 'follow-on');
    } else if (message.type === 'visible' && typeof message.on === 'boolean') {
      // presence "watching": a follower whose page is in view (the page tells on visibilitychange)
      if (channel.visible !== message.on) {
        channel.visible = message.on;
        this.deps.presenceChanged(code);
      }
    } else if (message.type === 'active') {
      await this.deps.store.touch(channel.memberId);
      this.deps.classChanged(code);
    } else if (message.type === 'place') {
      // the desk's "where, and why not following"; a place that is no lesson nor a shared capture is kept as unknown
      const place = 'capture' in message ? capturePlace(message.capture) : readNavigation(message, this.deps.lessons);
      const waits = FOLLOW_WAITS.includes(message.waits as FollowWait) ? (message.waits as FollowWait) : null;
      if (JSON.stringify([place, waits]) === JSON.stringify([channel.place, channel.waits])) return;
      channel.place = place;
      channel.waits = waits;
      this.deps.presenceChanged(code);
    }
  }

  private async teacherMessage(teacher: Extract<Role, { kind: 'teacher' }>, message: Message): Promise<void> {
    const { deps, socket } = this;
    const code = normalizeClassCode(message.code);
    switch (message.type) {
      case 'create-class':
        return this.createClass(message);
      case 'watch': {
        const snapshot = code ? await deps.board(code) : null;
        if (!code || !snapshot) return sendJson(socket, { type: 'error', error: 'NO_SUCH_CLASS' });
        if (teacher.watching) deps.boards.unwatch(teacher.watching, socket);
        teacher.watching = code;
        if (!this.closed) deps.boards.watch(code, socket);
        return sendJson(socket, { type: 'board', board: snapshot });
      }
      case 'lead': {
        if (!code || !(await deps.store.classByCode(code))) return sendJson(socket, { type: 'error', error: 'NO_SUCH_CLASS' });
        if (teacher.leading !== code) logClassEvent(this.app.log, { kind: 'leading', code });
        teacher.leading = code;
        const room = deps.live.room(code);
        if (this.session) deps.relayOf(code, room)?.lead(this.session);
        return sendJson(socket, { type: 'leading', code, relaying: Boolean(this.session && this.app.captures) });
      }
      case 'navigate':
        // a shared capture on the followers' screens (shown-capture.ts), or the teacher's place in the lessons
        if ('capture' in message) return sendJson(socket, await showCapture(deps.captureShow, teacher.leading, message.capture));
        return this.navigate(teacher.leading, message);
      case 'push-cell':
        // from the tab that leads: its own browser session's secrets are the ones to blank
        return sendJson(socket, teacher.leading ? await pushCell(deps.cellPush, teacher.leading, this.session, message) : { type: 'error', error: 'BAD_CELL' });
      case 'export': {
        const snapshot = code ? await deps.board(code) : null;
        if (!code || !snapshot) return sendJson(socket, { type: 'error', error: 'NO_SUCH_CLASS' });
        const json = message.format === 'json';
        return sendJson(socket, { type: 'export', code, format: json ? 'json' : 'csv', text: json ? JSON.stringify(snapshot, null, 2) : boardToCsv(snapshot) });
      }
      default: {
        // the controls (teacher-channel-actions.ts)
        if (!deps.teacherActions.handles(message.type)) return;
        const answer = await deps.teacherActions.act(message);
        if (answer) sendJson(socket, answer);
      }
    }
  }

  private async createClass(message: Message): Promise<void> {
    const { deps, socket } = this;
    const title = cleanClassTitle(message.title);
    if (title === null) return sendJson(socket, { type: 'error', error: 'BAD_TITLE' });
    const created = await deps.store.createClass(title);
    if (!created) return sendJson(socket, { type: 'error', error: 'TOO_MANY_CLASSES' });
    logClassEvent(this.app.log, { kind: 'class-created', code: created.code, title: created.title });
    sendJson(socket, { type: 'class-created', class: created });
    sendJson(socket, { type: 'classes', classes: await deps.classSummaries() });
  }

  /** Where the leading teacher is now, to the followers here and on the other instances. */
  private async navigate(leading: string | null, message: Message): Promise<void> {
    if (!leading) return;
    const { deps } = this;
    // a page that is no lesson (a 404) is the teacher's own business: followers stay where they are
    const navigation = readNavigation(message, deps.lessons);
    if (!navigation) return;
    await deps.deliverNavigation(leading, navigation);
  }

  private onClose(): void {
    this.closed = true;
    clearTimeout(this.helloTimer);
    this.unregister();
    const { role, deps } = this;
    if (role.kind === 'student') {
      deps.live.existing(role.code)?.students.delete(role.channel);
      deps.presenceChanged(role.code);
    } else if (role.kind === 'teacher') {
      deps.teacherSockets.delete(this.socket);
      if (role.watching) deps.boards.unwatch(role.watching, this.socket);
    }
  }
}
