import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { WebSocket } from 'ws';
import type { Board, CellDraft, ClassStatus, ClassSummary, ServerMessage, TeacherNavigation } from '../../../contracts/class-channel/messages.ts';
import { BoardPushes } from '../board/board-pushes.ts';
import { classBoard, classSummaries } from '../board/class-board.ts';
import { resetStudentsData } from '../controls/class-data-reset.ts';
import { ClassWriteFreeze } from '../controls/class-write-freeze.ts';
import { ClassroomFanout, type FanoutHandlers, type MemberOutReason } from '../relay/classroom-fanout.ts';
import type { ClassroomStore } from '../stores/classroom-store.ts';
import { followerFrames } from '../relay/follower-frames.ts';
import { LiveClasses, type LiveClass } from './live-classes.ts';
import { TeacherRelay } from '../relay/teacher-relay.ts';

// The classroom's live side on this instance (README.md): who is connected here, the boards
// watched here, the teachers' lists, the freeze of writes — and, with several instances, the
// fan-out that carries each change to the others and brings theirs here. The plugin
// (classroom-plugin.ts) gives its methods to the controls, the routes and the channel.

export class ClassroomLiveSide {
  readonly live = new LiveClasses();
  /** the teachers' channels on this instance: their class lists follow joins */
  readonly teacherSockets = new Set<WebSocket>();
  /** the live boards on this instance (board-pushes.ts) */
  readonly boards: BoardPushes;
  /** the domain's one write choke point asks (class-write-freeze.ts) */
  readonly writeFreeze: ClassWriteFreeze;
  fanout: ClassroomFanout | null = null;
  /** who wants to know at once when this instance's students come or go (the capture mirror, classroom-plugin.ts) */
  private readonly presenceWatchers = new Set<() => void>();

  constructor(
    private readonly app: FastifyInstance,
    private readonly store: ClassroomStore,
    private readonly teacherKey: string,
  ) {
    this.boards = new BoardPushes((code) => this.board(code), app.log);
    this.writeFreeze = new ClassWriteFreeze((code) => [...this.sessionsHere(code), ...(this.fanout?.sessionsElsewhere(code) ?? [])]);
  }

  /** The browser sessions of the class's students with a channel open on this instance. */
  private sessionsHere(code: string): string[] {
    const sessions = new Set<string>();
    for (const channel of this.live.students(code)) if (channel.session) sessions.add(channel.session);
    return [...sessions];
  }

  /** The browser sessions of every class's students online on any instance: whose captures leave this process (student-capture-mirror.ts). */
  studentSessionsEverywhere(): Set<string> {
    const sessions = new Set<string>();
    for (const code of new Set([...this.live.codes(), ...(this.fanout?.codesElsewhere() ?? [])])) {
      for (const session of this.sessionsHere(code)) sessions.add(session);
      for (const session of this.fanout?.sessionsElsewhere(code) ?? []) sessions.add(session);
    }
    return sessions;
  }

  /** With app.scale: the other instances' changes reach this one (classroom-fanout.ts). */
  async start(redis: Redis | null): Promise<void> {
    if (this.app.scale && redis) {
      this.fanout = new ClassroomFanout(this.app.scale, redis, this.fromOtherInstances(), this.app.log);
      await this.fanout.start();
      await this.learnClassesElsewhere(this.fanout);
    }
  }

  /**
   * An instance that starts (or returns after a failure) learns each class's freeze and the
   * sessions of the students online on the other instances: a student whose channel stayed on
   * another instance while their HTTP comes back here is frozen and reset here too.
   */
  private async learnClassesElsewhere(fanout: ClassroomFanout): Promise<void> {
    for (const { code } of await this.store.classes()) {
      const status = await this.store.classStatus(code);
      if (status) this.writeFreeze.note(code, status);
      await fanout.readSessionsElsewhere(code);
    }
  }

  async stop(): Promise<void> {
    this.boards.stop();
    await this.fanout?.stop();
  }

  board(code: string): Promise<Board | null> {
    const fanout = this.fanout;
    return classBoard(
      { store: this.store, presenceHere: (of) => this.live.presence(of), presenceElsewhere: fanout ? (of) => fanout.othersPresence(of) : undefined },
      code,
    );
  }

  classSummaries(): Promise<ClassSummary[]> {
    return classSummaries(this.store);
  }

  /** A stored change (join, result, a run of "check my server", activity): this instance's board watchers and the other instances'. */
  classChanged(code: string): void {
    this.boards.changed(code);
    this.fanout?.boardChanged(code);
  }

  /** This instance's students of a class came, went, or switched following. */
  presenceChanged(code: string): void {
    this.boards.changed(code);
    this.fanout?.presenceChanged(code, { presence: this.live.presence(code), sessions: this.sessionsHere(code) });
    for (const watcher of this.presenceWatchers) watcher();
  }

  /** Calls `watcher` whenever this instance's students come, go or switch following; the function returned stops it. */
  watchPresence(watcher: () => void): () => void {
    this.presenceWatchers.add(watcher);
    return () => this.presenceWatchers.delete(watcher);
  }

  /** A class was made or joined: the teachers' lists on this instance show the new counts. */
  async classListChanged(): Promise<void> {
    if (this.teacherSockets.size === 0) return;
    try {
      const text = JSON.stringify({ type: 'classes', classes: await this.classSummaries() });
      for (const socket of this.teacherSockets) if (socket.readyState === socket.OPEN) socket.send(text);
    } catch (error) {
      this.app.log.warn({ err: error }, 'classroom: the class list could not be sent');
    }
  }

  /** A member's channels close, here and on the other instances. */
  memberOut(code: string, memberId: number, reason: MemberOutReason): void {
    this.live.closeMember(code, memberId, reason);
    this.fanout?.memberOut(code, memberId, reason);
  }

  /** The class's state changed: its students everywhere, the boards, the teachers' lists. */
  statusChanged(code: string, status: ClassStatus): void {
    this.sendStatusToStudents(code, status);
    this.fanout?.classStatus(code, status);
    this.classChanged(code);
    void this.classListChanged();
  }

  classDeleted(code: string): void {
    this.boards.deleted(code);
    this.writeFreeze.forget(code);
    this.fanout?.forgetClass(code);
    this.live.forget(code);
  }

  /** The teacher's relay of a class led from this instance, made when first needed. */
  relayOf(code: string, room: LiveClass): TeacherRelay | null {
    if (room.relay || !this.app.captures) return room.relay;
    room.relay = new TeacherRelay(
      this.app.captures,
      (messages) => {
        room.replay.apply(messages);
        this.live.sendToFollowers(room, followerFrames(messages));
        this.fanout?.relayed(code, messages);
      },
      [this.teacherKey],
    );
    return room.relay;
  }

  /**
   * This instance's students of the class get the starting data back (class-data-reset.ts), and
   * so does this instance's copy of the sandbox of each student whose channel is on another
   * instance (that instance tells their page): after a failover their HTTP may come here.
   */
  resetDataHere(code: string): number {
    if (!this.app.hasDecorator('domain')) return 0;
    const domain = this.app.domain;
    const here = resetStudentsData(this.live.students(code), (id) => domain.resetSandbox(id), this.app.log);
    const reachedHere = new Set(this.sessionsHere(code));
    const copies = resetStudentsData(
      (this.fanout?.sessionsElsewhere(code) ?? [])
        .filter((session) => !reachedHere.has(session) && domain.sandboxExists(session))
        .map((session) => ({ socket: null, session })),
      (id) => domain.resetSandbox(id),
      this.app.log,
    );
    return here + copies;
  }

  /** The teacher's cell (cell-drafts.ts made and blanked it): to the followers here and on the other instances. */
  /**
   * Where the leading teacher sent the class (a lesson's place, or a shared capture): to the
   * followers here and on the other instances, and kept for those who follow later.
   */
  async deliverNavigation(code: string, navigation: TeacherNavigation): Promise<void> {
    const room = this.live.room(code);
    room.navigation = navigation;
    this.live.sendToFollowers(room, [{ text: JSON.stringify({ type: 'navigate', ...navigation } satisfies ServerMessage) }]);
    await this.fanout?.navigated(code, navigation);
  }

  deliverCellDraft(code: string, draft: CellDraft): void {
    this.sendCellDraftHere(code, draft);
    this.fanout?.cellDraft(code, draft);
  }

  /** The class's state to its students on this instance (after their `joined`, and on every change). */
  private sendStatusToStudents(code: string, status: ClassStatus): void {
    this.writeFreeze.note(code, status);
    this.live.sendToStudents(code, { type: 'class-status', status, now: Date.now() });
  }

  private sendCellDraftHere(code: string, draft: CellDraft): void {
    const room = this.live.existing(code);
    if (room) this.live.sendToFollowers(room, [{ text: JSON.stringify({ type: 'cell-draft', ...draft } satisfies ServerMessage) }]);
  }

  /** What the other instances tell this one (with app.scale). */
  private fromOtherInstances(): FanoutHandlers {
    const live = this.live;
    return {
      boardChanged: (code) => this.boards.changed(code),
      navigate: (code, navigation) => {
        const room = live.existing(code);
        if (!room) return;
        room.navigation = navigation;
        live.sendToFollowers(room, [{ text: JSON.stringify({ type: 'navigate', ...navigation }) }]);
      },
      memberOut: (code, memberId, reason) => live.closeMember(code, memberId, reason),
      classStatus: (code, status) => this.sendStatusToStudents(code, status),
      resetData: (code) => void this.resetDataHere(code),
      cellDraft: (code, draft) => this.sendCellDraftHere(code, draft),
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
  }
}
