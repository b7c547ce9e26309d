import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CLASS_CHANNEL_PATH, CLASS_PATH, MEMBER_HEADER, TEACHER_KEY_HEADER } from '../../contracts/class-channel/messages.ts';
import type { CheckReport } from '../../contracts/own-server/check-result.ts';
import type { CellPushDeps } from './controls/cell-drafts.ts';
import type { CaptureShowDeps } from './controls/shown-capture.ts';
import { classChannelRoute, sameSecret } from './channel/class-channel.ts';
import { ClassDataReset, dataResetRoute } from './controls/class-data-reset.ts';
import { sendError } from './class-errors.ts';
import { ClassHistory } from './controls/class-history.ts';
import { normalizeClassCode } from './names/class-code.ts';
import { limitVariable } from '../limits/client-limits.ts';
import { WrongTeacherKeys, type TeacherKeyVerdict } from '../limits/wrong-teacher-keys.ts';
import { ClassStateControls, classStateRoutes } from './controls/class-state-controls.ts';
import { ClassroomLiveSide } from './channel/classroom-live-side.ts';
import type { ClassroomStore } from './stores/classroom-store.ts';
import { ExerciseVerdicts } from './board/exercise-verdicts.ts';
import { CaptureQuestionFiles } from './board/capture-question-files.ts';
import { DEFAULT_LESSONS_DIR, LessonCatalog } from './names/lesson-catalog.ts';
import { memberAttemptsRoute } from './board/member-attempts.ts';
import { RedisClassroomStore } from './stores/redis-classroom-store.ts';
import { memberServerChecksRoute, recordServerChecks } from './board/server-checks.ts';
import { SqliteClassroomStore } from './stores/sqlite-classroom-store.ts';
import { StudentCaptureMirror } from './board/student-capture-mirror.ts';
import { RedisCaptureMirrorLog } from './board/redis-capture-mirror-log.ts';
import { SqliteCaptureMirrorLog } from './board/sqlite-capture-mirror-log.ts';
import type { CaptureHub } from '../tap/capture-hub.ts';
import { studentRoutes } from './routes/student-routes.ts';
import { TeacherChannelActions } from './channel/teacher-channel-actions.ts';
import { teacherControlRoutes, TeacherControls } from './controls/teacher-controls.ts';
import { teacherRoutes } from './routes/teacher-routes.ts';
import { completeStartersRoute } from './routes/complete-starters-route.ts';

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
    classroom: {
      teacherKey: string;
      /**
       * A "check my server" suite the server ran for `session` has ended (server/own-server/routes.ts):
       * a class member's run is kept for the board (server-checks.ts). true: it was.
       */
      serverChecked(session: string | null, report: CheckReport): Promise<boolean>;
    };
  }
}

/**
 * The classroom (README.md): classes with a code, students who join by code and name, their
 * exercise results and their own servers' checks, the teacher's board, and the class channel over
 * which followers get the teacher's navigation and traffic. With `app.scale` the classes live in
 * Redis and the live side (presence, board changes, navigation, the teacher's traffic) reaches
 * every instance (README.md, "Several instances").
 */
async function classroom(app: FastifyInstance, options: ClassroomOptions): Promise<void> {
  // The store's connection also carries the fan-out's writes and events, in order with the store's own.
  const redis = app.scale?.connection('classroom') ?? null;
  const redisStore = app.scale && redis ? new RedisClassroomStore(redis, app.scale.key('classroom:')) : null;
  await redisStore?.migrate();
  const store: ClassroomStore = redisStore ?? new SqliteClassroomStore(options.file);
  const teacherKey = await store.teacherKey(options.teacherKey);
  const lessons = LessonCatalog.read(options.lessonsDir ?? DEFAULT_LESSONS_DIR);
  const side = new ClassroomLiveSide(app, store, teacherKey);
  // every try of the key, over HTTP and the channel, from the connection's own address (server/limits/wrong-teacher-keys.ts)
  const keyTries = new WrongTeacherKeys(app.clientBudget, (fields, message) => app.log.warn(fields, message));
  const judgeTeacherKey = (request: FastifyRequest, given: unknown): TeacherKeyVerdict =>
    keyTries.judge(request.socket.remoteAddress, () => sameSecret(teacherKey, given));
  const classChanged = (code: string): void => side.classChanged(code);
  const classListChanged = (): Promise<void> => side.classListChanged();
  app.decorate('classroom', {
    teacherKey,
    serverChecked: (session: string | null, report: CheckReport) => recordServerChecks({ store, teacherKey, classChanged, log: app.log }, session, report),
  });
  await side.start(redis);

  app.addHook('preClose', async () => side.stop());
  app.addHook('onClose', async () => {
    side.live.stopRelays();
    await store.close();
  });
  if (app.hasDecorator('domain')) {
    app.domain.setWriteGuard(side.writeFreeze.guard);
    app.addHook('onClose', async () => app.domain.setWriteGuard(null));
  }

  // ---- the teacher's controls: over the channel (teacher-channel-actions.ts) and HTTP -----------

  const history = new ClassHistory(store, classChanged);
  const joinsLimited = joinsLimitedNotice(store, history, app.clientBudget.limits.rates.classJoins.perAddress);
  const { controls, stateControls, dataReset, teacherActions } = teacherControlSet(app, { store, side, history, lessons, classChanged, classListChanged });
  const { cellPush, captureShow } = toFollowers(app, side, { lessons, teacherKey, history });

  // ---- HTTP: students (student-routes.ts), the teacher's scripts (teacher-routes.ts and the controls') ----

  studentRoutes(app, CLASS_PATH, {
    store,
    lessons,
    verdicts: exerciseVerdicts(app, side, lessons, options.file),
    classChanged,
    classListChanged,
    memberOut: (code, memberId, reason) => side.memberOut(code, memberId, reason),
    joinsLimited: (rawCode) => joinsLimited(rawCode),
  });
  const teacherOnly = async (request: FastifyRequest, reply: FastifyReply) => {
    const verdict = judgeTeacherKey(request, request.headers[TEACHER_KEY_HEADER]);
    if (verdict.ok) return;
    if (verdict.limited) return sendError(reply.header('retry-after', String(verdict.retryAfterS)), 429, 'TEACHER_KEY_LIMITED');
    return sendError(reply, 403, 'TEACHER_KEY_REQUIRED');
  };
  teacherRoutes(app, CLASS_PATH, { store, board: (code) => side.board(code), classSummaries: () => side.classSummaries() }, teacherOnly);
  teacherControlRoutes(app, CLASS_PATH, controls, teacherOnly);
  classStateRoutes(app, CLASS_PATH, stateControls, teacherOnly);
  memberAttemptsRoute(app, CLASS_PATH, store, teacherOnly);
  memberServerChecksRoute(app, CLASS_PATH, store, teacherOnly);
  dataResetRoute(app, CLASS_PATH, dataReset, teacherOnly);
  completeStartersRoute(app, teacherOnly);

  // ---- the class channel (class-channel.ts) ---------------------------------------------------

  classChannelRoute(app, {
    teacherKey,
    judgeTeacherKey,
    store,
    lessons,
    live: side.live,
    boards: side.boards,
    fanout: side.fanout,
    teacherSockets: side.teacherSockets,
    writeFreeze: side.writeFreeze,
    teacherActions,
    cellPush,
    captureShow,
    deliverNavigation: (code, navigation) => side.deliverNavigation(code, navigation),
    board: (code) => side.board(code),
    classSummaries: () => side.classSummaries(),
    classChanged,
    presenceChanged: (code) => side.presenceChanged(code),
    relayOf: (code, room) => side.relayOf(code, room),
    publicUrl: options.publicUrl,
  });
}

/** What the leading tab sends to the followers beside its place, here and on the other instances. */
function toFollowers(
  app: FastifyInstance,
  side: ClassroomLiveSide,
  { lessons, teacherKey, history }: { lessons: LessonCatalog; teacherKey: string; history: ClassHistory },
): { cellPush: CellPushDeps; captureShow: CaptureShowDeps } {
  return {
    // the teacher's cell (cell-drafts.ts)
    cellPush: {
      lessons,
      teacherKey,
      relayOf: (code) => side.live.existing(code)?.relay,
      deliver: (code, draft) => side.deliverCellDraft(code, draft),
      history,
      log: app.log,
    },
    // a shared capture on the followers' screens (shown-capture.ts): one the shared captures' plugin keeps (server/shared-captures)
    captureShow: {
      isLive: (id) => app.hasDecorator('sharedCaptures') && app.sharedCaptures.isLive(id),
      deliver: (code, navigation) => side.deliverNavigation(code, navigation),
      history,
    },
  };
}

/** What a teacher's control acts through: the store, the live side, the class history, the lessons. */
interface ControlGround {
  store: ClassroomStore;
  side: ClassroomLiveSide;
  history: ClassHistory;
  lessons: LessonCatalog;
  classChanged(code: string): void;
  classListChanged(): Promise<void>;
}

/** The teacher's controls (members, the class's state, its data reset), for HTTP and the channel's actions alike. */
function teacherControlSet(app: FastifyInstance, { store, side, history, lessons, classChanged, classListChanged }: ControlGround) {
  const controls = new TeacherControls(
    store,
    {
      memberOut: (code, memberId, reason) => side.memberOut(code, memberId, reason),
      memberRenamed: (code, memberId, name) => {
        side.live.sendToStudents(code, { type: 'renamed', name }, (channel) => channel.memberId === memberId);
      },
      classChanged,
      classListChanged,
      classDeleted: (code) => side.classDeleted(code),
    },
    app.log,
    history,
  );
  const stateControls = new ClassStateControls(store, { statusChanged: (code, status) => side.statusChanged(code, status) }, app.log, history, lessons);
  const dataReset = new ClassDataReset(
    store,
    { resetHere: (code) => side.resetDataHere(code), resetElsewhere: (code) => side.fanout?.resetData(code) },
    app.log,
    history,
  );
  const teacherActions = new TeacherChannelActions(store, controls, stateControls, dataReset);
  return { controls, stateControls, dataReset, teacherActions };
}

export default fp(classroom, { name: 'wirelab-classroom', dependencies: ['@fastify/websocket'] });

/**
 * A join refused by the per-address limit (a class behind one NAT address, a script) is a line in
 * the class's history, so the teacher's desk says which setting raises it: at most one a minute
 * per class (on this instance), and only for a class that exists.
 */
function joinsLimitedNotice(store: ClassroomStore, history: ClassHistory, limit: number): (rawCode: unknown) => Promise<void> {
  const lastToldMs = new Map<string, number>();
  return async (rawCode) => {
    const code = normalizeClassCode(rawCode);
    const now = Date.now();
    if (!code || now - (lastToldMs.get(code) ?? 0) < 60_000) return;
    lastToldMs.set(code, now);
    if (!(await store.classByCode(code))) {
      lastToldMs.delete(code);
      return;
    }
    await history.record(code, { kind: 'joins-limited', text: limitVariable('classJoins', 'perAddress'), limit });
  };
}

/** How often the mirror learns which sessions are the students' on the other instances (this instance's, at their hello; it replays each new one's ring, so nothing recorded meanwhile is missed). */
const MIRROR_FOLLOWS_EVERY_MS = 1000;

/** How often a single process forgets the mirrored sessions silent for MIRROR_TTL_MS. */
const MIRROR_FORGETS_EVERY_MS = 10 * 60 * 1000;

/**
 * The server's verdicts on reported exercises: over this process's captures of a session, the
 * other instances' (scaled out), lesson 15's runs, and the lessons' capture files.
 */
function exerciseVerdicts(app: FastifyInstance, side: ClassroomLiveSide, lessons: LessonCatalog, file: string): ExerciseVerdicts {
  const captures = app.hasDecorator('captures') ? app.captures : null;
  const mirror = captureMirror(app, side, captures, file);
  return new ExerciseVerdicts(
    captures,
    lessons,
    app.hasDecorator('ownServerRuns') ? app.ownServerRuns : null,
    mirror ? (session) => mirror.elsewhere(session) : null,
    new CaptureQuestionFiles((capture, problem) =>
      app.log.warn({ file: capture, problem }, 'classroom: a lesson’s capture file cannot be read; its question passes no one'),
    ),
  );
}

/**
 * The class's students' captures kept beyond this process, for the verdicts of every instance
 * and of this one's next process (student-capture-mirror.ts): in Redis scaled out, in the
 * domain's SQLite file in one process; none without a tap.
 */
function captureMirror(app: FastifyInstance, side: ClassroomLiveSide, captures: CaptureHub | null, file: string): StudentCaptureMirror | null {
  if (!captures) return null;
  const { scale } = app;
  const sqlite = scale ? null : new SqliteCaptureMirrorLog(file);
  const log = scale
    ? new RedisCaptureMirrorLog(scale.connection('classroom-captures'), (key) => scale.key(`classroom:captures:${key}`))
    : (sqlite as SqliteCaptureMirrorLog);
  const mirror = new StudentCaptureMirror(captures, log, app.log);
  const followStudents = () => mirror.follow(side.studentSessionsEverywhere());
  // At once when a student's channel says hello here: followed only by the interval, a pass the
  // student made in a page's first second, reported while the instance died, could be lost (the
  // likely cause of one failure of the e2e failover test's report in flight). The interval picks
  // up the other instances' presence.
  const unwatch = side.watchPresence(followStudents);
  const follows = setInterval(followStudents, MIRROR_FOLLOWS_EVERY_MS);
  follows.unref();
  const forgets = sqlite ? setInterval(() => sqlite.forgetSilent(), MIRROR_FORGETS_EVERY_MS) : null;
  forgets?.unref();
  app.addHook('preClose', async () => {
    unwatch();
    clearInterval(follows);
    if (forgets) clearInterval(forgets);
    mirror.stop();
  });
  app.addHook('onClose', async () => sqlite?.close());
  return mirror;
}
