import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import {
  CLASS_CHANNEL_PATH,
  CLASS_PATH,
  MEMBER_HEADER,
  TEACHER_KEY_HEADER,
  type Board,
  type CellDraft,
  type ClassStatus,
  type ClassSummary,
  type ServerMessage,
} from '../../contracts/class-channel/messages.ts';
import { BoardPushes } from './board-pushes.ts';
import type { CellPushDeps } from './cell-drafts.ts';
import { classBoard, classSummaries as summariesOf } from './class-board.ts';
import { classChannelRoute, sameSecret } from './class-channel.ts';
import { ClassDataReset, dataResetRoute, resetStudentsData } from './class-data-reset.ts';
import { sendError } from './class-errors.ts';
import { ClassHistory } from './class-history.ts';
import { ClassStateControls, classStateRoutes } from './class-state-controls.ts';
import { ClassWriteFreeze } from './class-write-freeze.ts';
import { ClassroomFanout, type FanoutHandlers, type MemberOutReason } from './classroom-fanout.ts';
import type { ClassroomStore } from './classroom-store.ts';
import { followerFrames } from './follower-frames.ts';
import { DEFAULT_LESSONS_DIR, LessonCatalog } from './lesson-catalog.ts';
import { LiveClasses, type LiveClass } from './live-classes.ts';
import { memberAttemptsRoute } from './member-attempts.ts';
import { RedisClassroomStore } from './redis-classroom-store.ts';
import { SqliteClassroomStore } from './sqlite-classroom-store.ts';
import { studentRoutes } from './student-routes.ts';
import { TeacherChannelActions } from './teacher-channel-actions.ts';
import { teacherControlRoutes, TeacherControls } from './teacher-controls.ts';
import { TeacherRelay } from './teacher-relay.ts';
import { teacherRoutes } from './teacher-routes.ts';

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
  const live = new LiveClasses();
  /** the teachers' channels on this instance: their class lists follow joins */
  const teacherSockets = new Set<WebSocket>();
  const lessons = LessonCatalog.read(options.lessonsDir ?? DEFAULT_LESSONS_DIR);
  app.decorate('classroom', { teacherKey });

  /** The live boards on this instance (board-pushes.ts), built by `board` below. */
  const boards = new BoardPushes((code) => board(code), app.log);

  const closeMemberChannels = (code: string, memberId: number, reason: MemberOutReason): void => live.closeMember(code, memberId, reason);

  /** What the other instances tell this one (with app.scale). */
  const fromOtherInstances: FanoutHandlers = {
    boardChanged: (code) => boardChanged(code),
    navigate: (code, navigation) => {
      const room = live.existing(code);
      if (!room) return;
      room.navigation = navigation;
      live.sendToFollowers(room, [{ text: JSON.stringify({ type: 'navigate', ...navigation }) }]);
    },
    memberOut: (code, memberId, reason) => closeMemberChannels(code, memberId, reason),
    classStatus: (code, status) => sendStatusToStudents(code, status),
    resetData: (code) => void resetDataHere(code),
    cellDraft: (code, draft) => sendCellDraftHere(code, draft),
    relayed: (code, messages) => {
      // A room is made for a relay from elsewhere too: a follower who opens a channel here
      // later gets the replay.
      const room = live.room(code);
      if (room.relay && messages.some((message) => message.type === 'reset')) {
        // the teacher leads from another instance now
        room.relay.stop();
        room.relay = null;
      }
      room.replay.apply(messages);
      live.sendToFollowers(room, followerFrames(messages));
    },
  };
  const fanout = app.scale && redis ? new ClassroomFanout(app.scale, redis, fromOtherInstances, app.log) : null;
  await fanout?.start();

  app.addHook('preClose', async () => {
    boards.stop();
    await fanout?.stop();
  });
  app.addHook('onClose', async () => {
    live.stopRelays();
    await store.close();
  });

  const isTeacher = (request: FastifyRequest): boolean => sameSecret(teacherKey, request.headers[TEACHER_KEY_HEADER]);

  const board = (code: string): Promise<Board | null> =>
    classBoard({ store, presenceHere: (of) => live.presence(of), presenceElsewhere: fanout ? (of) => fanout.othersPresence(of) : undefined }, code);
  const classSummaries = (): Promise<ClassSummary[]> => summariesOf(store);

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
    fanout?.presenceChanged(code, live.presence(code));
  };

  const relayOf = (code: string, room: LiveClass): TeacherRelay | null => {
    if (room.relay || !app.captures) return room.relay;
    room.relay = new TeacherRelay(app.captures, (messages) => {
      room.replay.apply(messages);
      live.sendToFollowers(room, followerFrames(messages));
      fanout?.relayed(code, messages);
    }, [teacherKey]);
    return room.relay;
  };

  // The domain's one write choke point asks (class-write-freeze.ts).
  const writeFreeze = new ClassWriteFreeze((code) => [...live.students(code)].map((channel) => channel.session));
  if (app.hasDecorator('domain')) {
    app.domain.setWriteGuard(writeFreeze.guard);
    app.addHook('onClose', async () => app.domain.setWriteGuard(null));
  }

  /** The class's state to its students on this instance (after their `joined`, and on every change). */
  function sendStatusToStudents(code: string, status: ClassStatus): void {
    writeFreeze.note(code, status);
    live.sendToStudents(code, { type: 'class-status', status, now: Date.now() });
  }

  const history = new ClassHistory(store, (code) => classChanged(code));
  const controls = new TeacherControls(store, {
    memberOut: (code, memberId, reason) => {
      closeMemberChannels(code, memberId, reason);
      fanout?.memberOut(code, memberId, reason);
    },
    memberRenamed: (code, memberId, name) => {
      live.sendToStudents(code, { type: 'renamed', name }, (channel) => channel.memberId === memberId);
    },
    classChanged,
    classListChanged,
    classDeleted: (code) => {
      boards.deleted(code);
      writeFreeze.forget(code);
      live.forget(code);
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
  const resetDataHere = (code: string): number => (app.hasDecorator('domain') ? resetStudentsData(live.students(code), (id) => app.domain.resetSandbox(id), app.log) : 0);
  const dataReset = new ClassDataReset(store, { resetHere: resetDataHere, resetElsewhere: (code) => fanout?.resetData(code) }, app.log, history);
  const teacherActions = new TeacherChannelActions(store, controls, stateControls, dataReset);

  /** The teacher's cell to this instance's followers of the class (cell-drafts.ts made and blanked it). */
  function sendCellDraftHere(code: string, draft: CellDraft): void {
    const room = live.existing(code);
    if (room) live.sendToFollowers(room, [{ text: JSON.stringify({ type: 'cell-draft', ...draft } satisfies ServerMessage) }]);
  }

  /** The teacher's cell (cell-drafts.ts): to the followers here and on the other instances. */
  const cellPush: CellPushDeps = {
    lessons,
    teacherKey,
    relayOf: (code) => live.existing(code)?.relay,
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

  // ---- the class channel (class-channel.ts) ---------------------------------------------------

  classChannelRoute(app, {
    teacherKey,
    store,
    lessons,
    live,
    boards,
    fanout,
    teacherSockets,
    writeFreeze,
    teacherActions,
    cellPush,
    board,
    classSummaries,
    classChanged,
    presenceChanged,
    relayOf,
    publicUrl: options.publicUrl,
  });
}

export default fp(classroom, { name: 'wirelab-classroom', dependencies: ['@fastify/websocket'] });
