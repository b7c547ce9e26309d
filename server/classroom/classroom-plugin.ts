import { timingSafeEqual } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { sessionFromCookie } from '../session/session-id.ts';
import { boardToCsv } from './board-csv.ts';
import {
  CLASS_CHANNEL_PATH,
  CLASS_CLOSE,
  CLASS_PATH,
  MEMBER_HEADER,
  TEACHER_KEY_HEADER,
  type Board,
  type CellDraft,
  type ClassStatus,
  type ClassSummary,
  type ServerMessage,
} from '../../contracts/class-channel/messages.ts';
import { MEMBER_OUT_CLOSE, sendError } from './class-errors.ts';
import { ClassWriteFreeze } from './class-write-freeze.ts';
import { followerFrames, type FollowerFrame } from './follower-frames.ts';
import { DEFAULT_LESSONS_DIR, LESSON_SLUG, LessonCatalog } from './lesson-catalog.ts';
import { normalizeClassCode } from './class-code.ts';
import { ClassroomFanout, type FanoutHandlers, type MemberOutReason, type Navigation, type Presence } from './classroom-fanout.ts';
import type { ClassroomStore } from './classroom-store.ts';
import { cleanClassTitle } from './display-name.ts';
import { RedisClassroomStore } from './redis-classroom-store.ts';
import { SqliteClassroomStore } from './sqlite-classroom-store.ts';
import { joinOrigins } from './startup-urls.ts';
import { RelayReplay, TeacherRelay } from './teacher-relay.ts';
import { teacherControlRoutes, TeacherControls } from './teacher-controls.ts';
import { ClassStateControls, classStateRoutes } from './class-state-controls.ts';
import { memberAttemptsRoute } from './member-attempts.ts';
import { studentRoutes } from './student-routes.ts';
import { teacherRoutes } from './teacher-routes.ts';
import { TeacherChannelActions } from './teacher-channel-actions.ts';
import { BoardPushes } from './board-pushes.ts';
import { ClassDataReset, dataResetRoute, resetStudentsData } from './class-data-reset.ts';
import { logClassEvent } from './class-log.ts';
import { ClassHistory } from './class-history.ts';
import { pushCell, type CellPushDeps } from './cell-drafts.ts';

export { CLASS_CHANNEL_PATH, CLASS_PATH, MEMBER_HEADER, TEACHER_KEY_HEADER };

export interface ClassroomOptions {
  /** SQLite file (the domain's; ':memory:' for tests); with app.scale the classes are in Redis instead */
  file: string;
  /** TEACHER_KEY; otherwise the database keeps one of its own */
  teacherKey?: string;
  /** where the lessons are whose exercises results may name (lessons/ of this checkout) */
  lessonsDir?: string;
  /** PUBLIC_URL's origin: what the join link and QR code name (startup-urls.ts, joinOrigins) */
  publicUrl?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    classroom: { teacherKey: string };
  }
}

/** A channel message larger than this closes the channel (1009). */
const MAX_CHANNEL_MESSAGE = 4096;
/** The teacher's channel carries a cell's draft (CELL_DRAFT_MAX characters, escaped as JSON). */
const MAX_TEACHER_CHANNEL_MESSAGE = 128 * 1024;
/** A channel that has not said who it is by then is closed (4408). */
const HELLO_TIMEOUT_MS = 10_000;
/** Bytes waiting for a follower that does not read: past this it is closed (1013) and reconnects. */
const MAX_FOLLOWER_BACKLOG = 4 * 1024 * 1024;
const SECTION = /^[^\u0000-\u001f]{0,200}$/;

interface StudentChannel {
  socket: WebSocket;
  memberId: number;
  following: boolean;
  /** the browser session (= sandbox) the channel's cookie named: what "reset everyone's data" resets */
  session: string | null;
}

/** A class's live side on this instance: who is connected here, where the teacher is, the teacher's traffic. */
interface LiveClass {
  students: Set<StudentChannel>;
  navigation: Navigation | null;
  /** the teacher's traffic, when the teacher leads from this instance */
  relay: TeacherRelay | null;
  /** what a follower who comes now is given of the teacher's traffic (relayed here or from another instance) */
  replay: RelayReplay;
}

function sameSecret(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The classroom (README.md): classes with a code, students who join by code and name, their
 * exercise results, the teacher's board, and the class channel over which followers get the
 * teacher's navigation and traffic. With `app.scale` the classes live in Redis and the live side
 * (presence, board changes, navigation, the teacher's traffic) reaches every instance
 * (README.md, "Several instances").
 */
async function classroom(app: FastifyInstance, options: ClassroomOptions): Promise<void> {
  // The store's connection also carries the fan-out's writes and events, in order with the store's own.
  const redis = app.scale?.connection('classroom') ?? null;
  const store: ClassroomStore = app.scale && redis ? new RedisClassroomStore(redis, app.scale.key('classroom:')) : new SqliteClassroomStore(options.file);
  const teacherKey = await store.teacherKey(options.teacherKey);
  const live = new Map<string, LiveClass>();
  /** the teachers' channels on this instance: their class lists follow joins */
  const teacherSockets = new Set<WebSocket>();
  const lessons = LessonCatalog.read(options.lessonsDir ?? DEFAULT_LESSONS_DIR);
  app.decorate('classroom', { teacherKey });

  const liveClass = (code: string): LiveClass => {
    let room = live.get(code);
    if (!room) {
      room = { students: new Set(), navigation: null, relay: null, replay: new RelayReplay() };
      live.set(code, room);
    }
    return room;
  };

  /** The live boards on this instance (board-pushes.ts), built by `board` below. */
  const boards = new BoardPushes((code) => board(code), app.log);

  /** This instance's students of a class with a channel open: member id → following (any of their channels). */
  const localPresence = (code: string): Presence => {
    const presence: Presence = new Map();
    for (const channel of live.get(code)?.students ?? []) presence.set(channel.memberId, (presence.get(channel.memberId) ?? false) || channel.following);
    return presence;
  };

  /** A member's channels on this instance close at once, saying why (MEMBER_OUT_CLOSE). */
  function closeMemberChannels(code: string, memberId: number, reason: MemberOutReason): void {
    for (const channel of live.get(code)?.students ?? []) {
      if (channel.memberId === memberId) channel.socket.close(MEMBER_OUT_CLOSE[reason].code, MEMBER_OUT_CLOSE[reason].reason);
    }
  }

  const sendToFollowers = (room: LiveClass, frames: readonly FollowerFrame[]): void => {
    for (const channel of room.students) if (channel.following) sendFrames(channel.socket, frames);
  };

  /** What the other instances tell this one (with app.scale). */
  const fromOtherInstances: FanoutHandlers = {
    boardChanged: (code) => boardChanged(code),
    navigate: (code, navigation) => {
      const room = live.get(code);
      if (!room) return;
      room.navigation = navigation;
      sendToFollowers(room, [{ text: JSON.stringify({ type: 'navigate', ...navigation }) }]);
    },
    memberOut: (code, memberId, reason) => closeMemberChannels(code, memberId, reason),
    classStatus: (code, status) => sendStatusToStudents(code, status),
    resetData: (code) => void resetDataHere(code),
    cellDraft: (code, draft) => sendCellDraftHere(code, draft),
    relayed: (code, messages) => {
      // A room is made for a relay from elsewhere too: a follower who opens a channel here
      // later gets the replay.
      const room = liveClass(code);
      if (room.relay && messages.some((message) => message.type === 'reset')) {
        // the teacher leads from another instance now
        room.relay.stop();
        room.relay = null;
      }
      room.replay.apply(messages);
      sendToFollowers(room, followerFrames(messages));
    },
  };
  const fanout = app.scale && redis ? new ClassroomFanout(app.scale, redis, fromOtherInstances, app.log) : null;
  await fanout?.start();

  app.addHook('preClose', async () => {
    boards.stop();
    await fanout?.stop();
  });
  app.addHook('onClose', async () => {
    for (const room of live.values()) room.relay?.stop();
    await store.close();
  });

  const isTeacher = (request: FastifyRequest): boolean => sameSecret(teacherKey, request.headers[TEACHER_KEY_HEADER]);

  const board = async (code: string): Promise<Board | null> => {
    const [info, status] = await Promise.all([store.classByCode(code), store.classStatus(code)]);
    if (!info || !status) return null;
    const [members, results, others, history] = await Promise.all([store.members(code), store.resultsOfClass(code), fanout?.othersPresence(code), store.actions(code)]);
    const online = localPresence(code);
    for (const [member, following] of others ?? []) online.set(member, (online.get(member) ?? false) || following);
    return {
      code,
      title: info.title,
      now: Date.now(),
      status,
      members: members.map((member) => ({
        id: member.id,
        name: member.name,
        rejoinCode: member.rejoinCode,
        joinedMs: member.joinedMs,
        lastActiveMs: member.lastActiveMs,
        online: online.has(member.id),
        following: online.get(member.id) ?? false,
        results: results.get(member.id) ?? [],
      })),
      history,
    };
  };

  const classSummaries = async (): Promise<ClassSummary[]> => {
    const classes = await store.classes();
    const [counts, states] = await Promise.all([Promise.all(classes.map((info) => store.memberCount(info.code))), Promise.all(classes.map((info) => store.classStatus(info.code)))]);
    return classes.map((info, index) => ({ ...info, members: counts[index], endedMs: states[index]?.endedMs ?? null }));
  };

  /** The board of a class changed on this instance or another: pushed to this instance's watchers soon. */
  function boardChanged(code: string): void {
    boards.changed(code);
  }

  /** A class was made or joined: the teachers' lists on this instance show the new counts. */
  const classListChanged = async (): Promise<void> => {
    if (teacherSockets.size === 0) return;
    try {
      const text = JSON.stringify({ type: 'classes', classes: await classSummaries() });
      for (const socket of teacherSockets) if (socket.readyState === socket.OPEN) socket.send(text);
    } catch (error) {
      app.log.warn({ err: error }, 'classroom: the class list could not be sent');
    }
  };

  /** A stored change (join, result, activity): this instance's board watchers and the other instances'. */
  const classChanged = (code: string): void => {
    boardChanged(code);
    fanout?.boardChanged(code);
  };

  /** This instance's students of a class came, went, or switched following. */
  const presenceChanged = (code: string): void => {
    boardChanged(code);
    fanout?.presenceChanged(code, localPresence(code));
  };

  function sendFrames(socket: WebSocket, frames: readonly FollowerFrame[]): void {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_FOLLOWER_BACKLOG) {
      socket.close(1013, 'teacher traffic backlog too large, reconnect');
      return;
    }
    for (const frame of frames) {
      if ('binary' in frame) socket.send(frame.binary, { binary: true });
      else socket.send(frame.text);
    }
  }

  const relayOf = (code: string, room: LiveClass): TeacherRelay | null => {
    if (room.relay || !app.captures) return room.relay;
    room.relay = new TeacherRelay(app.captures, (messages) => {
      room.replay.apply(messages);
      sendToFollowers(room, followerFrames(messages));
      fanout?.relayed(code, messages);
    }, [teacherKey]);
    return room.relay;
  };

  const sendJson = (socket: WebSocket, message: ServerMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  // The domain's one write choke point asks (class-write-freeze.ts).
  const writeFreeze = new ClassWriteFreeze((code) => [...(live.get(code)?.students ?? [])].map((channel) => channel.session));
  if (app.hasDecorator('domain')) {
    app.domain.setWriteGuard(writeFreeze.guard);
    app.addHook('onClose', async () => app.domain.setWriteGuard(null));
  }

  /** The class's state to its students on this instance (after their `joined`, and on every change). */
  function sendStatusToStudents(code: string, status: ClassStatus): void {
    writeFreeze.note(code, status);
    const text = JSON.stringify({ type: 'class-status', status, now: Date.now() } satisfies ServerMessage);
    for (const channel of live.get(code)?.students ?? []) if (channel.socket.readyState === channel.socket.OPEN) channel.socket.send(text);
  }

  const history = new ClassHistory(store, (code) => classChanged(code));
  const controls = new TeacherControls(store, {
    memberOut: (code, memberId, reason) => {
      closeMemberChannels(code, memberId, reason);
      fanout?.memberOut(code, memberId, reason);
    },
    memberRenamed: (code, memberId, name) => {
      for (const channel of live.get(code)?.students ?? []) if (channel.memberId === memberId) sendJson(channel.socket, { type: 'renamed', name });
    },
    classChanged,
    classListChanged,
    classDeleted: (code) => {
      boards.deleted(code);
      writeFreeze.forget(code);
      live.get(code)?.relay?.stop();
      live.delete(code);
    },
  }, app.log, history);
  const stateControls = new ClassStateControls(store, {
    statusChanged: (code, status) => {
      sendStatusToStudents(code, status);
      fanout?.classStatus(code, status);
      classChanged(code);
      void classListChanged();
    },
  }, app.log, history, lessons);
  /** This instance's students of the class get the starting data back (class-data-reset.ts). */
  const resetDataHere = (code: string): number => (app.hasDecorator('domain') ? resetStudentsData(live.get(code)?.students ?? [], (id) => app.domain.resetSandbox(id), app.log) : 0);
  const dataReset = new ClassDataReset(store, { resetHere: resetDataHere, resetElsewhere: (code) => fanout?.resetData(code) }, app.log, history);
  const teacherActions = new TeacherChannelActions(store, controls, stateControls, dataReset);

  /** The teacher's cell to this instance's followers of the class (cell-drafts.ts made and blanked it). */
  function sendCellDraftHere(code: string, draft: CellDraft): void {
    const text = JSON.stringify({ type: 'cell-draft', ...draft } satisfies ServerMessage);
    for (const channel of live.get(code)?.students ?? []) if (channel.following) sendFrames(channel.socket, [{ text }]);
  }

  /** The teacher's cell (cell-drafts.ts): to the followers here and on the other instances. */
  const cellPush: CellPushDeps = {
    lessons,
    teacherKey,
    relayOf: (code) => live.get(code)?.relay,
    deliver: (code, draft) => {
      sendCellDraftHere(code, draft);
      fanout?.cellDraft(code, draft);
    },
    history,
    log: app.log,
  };

  // ---- HTTP: students (student-routes.ts), the teacher's scripts (teacher-routes.ts and the controls') ----

  studentRoutes(app, CLASS_PATH, {
    store,
    lessons,
    classChanged,
    classListChanged,
    memberOut: (code, memberId, reason) => {
      closeMemberChannels(code, memberId, reason);
      fanout?.memberOut(code, memberId, reason);
    },
  });
  const teacherOnly = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isTeacher(request)) return sendError(reply, 403, 'TEACHER_KEY_REQUIRED');
  };
  teacherRoutes(app, CLASS_PATH, { store, board, classSummaries }, teacherOnly);
  teacherControlRoutes(app, CLASS_PATH, controls, teacherOnly);
  classStateRoutes(app, CLASS_PATH, stateControls, teacherOnly);
  memberAttemptsRoute(app, CLASS_PATH, store, teacherOnly);
  dataResetRoute(app, CLASS_PATH, dataReset, teacherOnly);

  // ---- the class channel --------------------------------------------------------------------

  app.get(
    CLASS_CHANNEL_PATH,
    {
      websocket: true,
      // Before the handshake: a page of another origin gets a plain 403, no WebSocket at all.
      preValidation: async (request, reply) => {
        if (!app.isAllowedOrigin(request)) return sendError(reply.header('connection', 'close'), 403, 'CROSS_ORIGIN');
      },
    },
    (socket: WebSocket, request) => {
      const session = sessionFromCookie(request.headers);
      let role: { kind: 'none' } | { kind: 'teacher'; watching: string | null; leading: string | null } | { kind: 'student'; channel: StudentChannel; code: string } = { kind: 'none' };
      let closed = false;
      const helloTimer = setTimeout(() => socket.close(CLASS_CLOSE.noHello, 'no hello'), HELLO_TIMEOUT_MS);

      const followerStart = async (code: string): Promise<void> => {
        const room = liveClass(code);
        // With several instances the teacher's place is also in Redis: this instance may have
        // started after it was set. One that came live during the read is newer.
        if (fanout && !room.navigation) {
          const stored = await fanout.navigation(code);
          room.navigation ??= stored;
        }
        if (room.navigation) sendJson(socket, { type: 'navigate', ...room.navigation });
        if (room.replay.started) sendFrames(socket, followerFrames(room.replay.replay()));
      };

      const onMessage = async (message: Record<string, unknown>): Promise<void> => {
        if (role.kind === 'none') {
          if (message.type !== 'hello') return;
          clearTimeout(helloTimer);
          if (message.role === 'teacher') {
            if (!sameSecret(teacherKey, message.key)) {
              socket.close(CLASS_CLOSE.teacherKeyRequired, 'teacher key required');
              return;
            }
            role = { kind: 'teacher', watching: null, leading: null };
            if (!closed) teacherSockets.add(socket);
            const listening = app.server.address() as { address?: string; port?: number } | null;
            sendJson(socket, {
              type: 'teacher-ready',
              classes: await classSummaries(),
              lanOrigins: joinOrigins({
                listeningHost: listening?.address ?? '',
                listeningPort: listening?.port ?? 0,
                hostHeader: request.headers.host,
                publicUrl: options.publicUrl,
                interfaces: networkInterfaces(),
              }),
              publicOrigin: options.publicUrl ?? null,
            });
            return;
          }
          if (message.role === 'student') {
            const member = await store.memberByToken(message.token);
            if (!member) {
              socket.close(CLASS_CLOSE.notAMember, 'not a member');
              return;
            }
            const [info, status] = await Promise.all([store.classByCode(member.classCode), store.classStatus(member.classCode), store.touch(member.id)]);
            if (closed) return;
            const channel: StudentChannel = { socket, memberId: member.id, following: message.following !== false, session };
            role = { kind: 'student', channel, code: member.classCode };
            liveClass(member.classCode).students.add(channel);
            sendJson(socket, { type: 'joined', code: member.classCode, title: info!.title, name: member.name, following: channel.following });
            // the message and timer the teacher set before this page came, and whether the class has ended
            if (status) {
              writeFreeze.note(member.classCode, status);
              sendJson(socket, { type: 'class-status', status, now: Date.now() });
            }
            presenceChanged(member.classCode);
            if (channel.following) await followerStart(member.classCode);
            return;
          }
          socket.close(1008, 'hello names a role: teacher or student');
          return;
        }

        if (role.kind === 'student') {
          const { channel, code } = role;
          if (message.type === 'follow' && typeof message.on === 'boolean') {
            const was = channel.following;
            channel.following = message.on;
            presenceChanged(code);
            if (message.on && !was) await followerStart(code);
          } else if (message.type === 'active') {
            await store.touch(channel.memberId);
            classChanged(code);
          }
          return;
        }

        // the teacher
        const teacher = role;
        const code = normalizeClassCode(message.code);
        switch (message.type) {
          case 'create-class': {
            const title = cleanClassTitle(message.title);
            if (title === null) return sendJson(socket, { type: 'error', error: 'BAD_TITLE' });
            const created = await store.createClass(title);
            if (!created) return sendJson(socket, { type: 'error', error: 'TOO_MANY_CLASSES' });
            logClassEvent(app.log, { kind: 'class-created', code: created.code, title: created.title });
            sendJson(socket, { type: 'class-created', class: created });
            sendJson(socket, { type: 'classes', classes: await classSummaries() });
            return;
          }
          case 'watch': {
            const snapshot = code ? await board(code) : null;
            if (!code || !snapshot) return sendJson(socket, { type: 'error', error: 'NO_SUCH_CLASS' });
            if (teacher.watching) boards.unwatch(teacher.watching, socket);
            teacher.watching = code;
            if (!closed) boards.watch(code, socket);
            sendJson(socket, { type: 'board', board: snapshot });
            return;
          }
          case 'lead': {
            if (!code || !(await store.classByCode(code))) return sendJson(socket, { type: 'error', error: 'NO_SUCH_CLASS' });
            if (teacher.leading !== code) logClassEvent(app.log, { kind: 'leading', code });
            teacher.leading = code;
            const room = liveClass(code);
            if (session) relayOf(code, room)?.lead(session);
            sendJson(socket, { type: 'leading', code, relaying: Boolean(session && app.captures) });
            return;
          }
          case 'navigate': {
            if (!teacher.leading) return;
            const lesson = message.lesson === null ? null : typeof message.lesson === 'string' && LESSON_SLUG.test(message.lesson) ? message.lesson : undefined;
            const section = typeof message.section === 'string' && SECTION.test(message.section) ? message.section : '';
            // a page that is no lesson (a 404) is the teacher's own business: followers stay where they are
            if (lesson === undefined || (lesson !== null && !lessons.hasLesson(lesson))) return;
            const room = liveClass(teacher.leading);
            room.navigation = { lesson, section };
            sendToFollowers(room, [{ text: JSON.stringify({ type: 'navigate', lesson, section }) }]);
            await fanout?.navigated(teacher.leading, room.navigation);
            return;
          }
          case 'push-cell':
            // from the tab that leads: its own browser session's secrets are the ones to blank
            return sendJson(socket, teacher.leading ? await pushCell(cellPush, teacher.leading, session, message) : { type: 'error', error: 'BAD_CELL' });
          case 'export': {
            const snapshot = code ? await board(code) : null;
            if (!code || !snapshot) return sendJson(socket, { type: 'error', error: 'NO_SUCH_CLASS' });
            sendJson(socket, { type: 'export', code, format: message.format === 'json' ? 'json' : 'csv', text: message.format === 'json' ? JSON.stringify(snapshot, null, 2) : boardToCsv(snapshot) });
            return;
          }
          default: {
            // the controls (teacher-channel-actions.ts)
            if (!teacherActions.handles(message.type)) return;
            const answer = await teacherActions.act(message);
            if (answer) sendJson(socket, answer);
            return;
          }
        }
      };

      // One message at a time, in order: a store read must not let a later message overtake it
      // (a follow switch before its hello is answered).
      let queue = Promise.resolve();
      socket.on('message', (raw, isBinary) => {
        const size = Array.isArray(raw) ? raw.reduce((sum, part) => sum + part.length, 0) : (raw as Buffer | ArrayBuffer).byteLength;
        if (isBinary || size > (role.kind === 'teacher' ? MAX_TEACHER_CHANNEL_MESSAGE : MAX_CHANNEL_MESSAGE)) {
          socket.close(1009, 'class channel messages are short JSON texts');
          return;
        }
        let message: unknown;
        try {
          message = JSON.parse(String(raw));
        } catch {
          socket.close(1007, 'class channel messages are JSON');
          return;
        }
        if (!message || typeof message !== 'object' || Array.isArray(message)) return;
        queue = queue
          .then(() => onMessage(message as Record<string, unknown>))
          .catch((error: unknown) => {
            app.log.warn({ err: error }, 'classroom: a class channel message failed');
            socket.close(1011, 'server error');
          });
      });

      socket.on('close', () => {
        closed = true;
        clearTimeout(helloTimer);
        if (role.kind === 'student') {
          live.get(role.code)?.students.delete(role.channel);
          presenceChanged(role.code);
        } else if (role.kind === 'teacher') {
          teacherSockets.delete(socket);
          if (role.watching) boards.unwatch(role.watching, socket);
        }
      });
    },
  );
}

export default fp(classroom, { name: 'wirelab-classroom', dependencies: ['@fastify/websocket'] });
