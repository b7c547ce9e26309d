import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { ScaleContext } from '../../scale/scale-plugin.ts';
import { decodeRelayEnvelope, encodeRelayEnvelope } from './relay-envelope.ts';
import {
  FOLLOW_WAITS,
  MEMBER_OUT_CLOSE,
  type CellDraft,
  type ClassStatus,
  type FollowWait,
  type MemberOutReason,
  type Navigation,
  type TeacherNavigation,
} from '../../../contracts/class-channel/messages.ts';
import type { RelayedMessage } from './teacher-relay.ts';

export type { MemberOutReason, Navigation, TeacherNavigation };

/**
 * How a member with a channel open is there: following the teacher, and watching (following with
 * the page visible); where their page is, and why it waits instead of following (absent: not said).
 */
export interface PresenceFlags {
  following: boolean;
  watching: boolean;
  place?: TeacherNavigation | null;
  waits?: FollowWait | null;
}
/** Who has a class channel open on one instance: member id → following, watching. */
export type Presence = Map<number, PresenceFlags>;

/**
 * A member's flags over several channels or instances: any of them following, any watching; the
 * place and the wait of the page in view (of the first, when none is).
 */
export function mergePresence(presence: Presence, member: number, flags: PresenceFlags): void {
  const before = presence.get(member);
  const where = !before?.place || (flags.watching && !before.watching) ? flags : before;
  presence.set(member, {
    following: (before?.following ?? false) || flags.following,
    watching: (before?.watching ?? false) || flags.watching,
    place: where.place ?? null,
    waits: where.waits ?? null,
  });
}

/** One instance's students of a class: who (the board) and their browser sessions (the freeze and the reset). */
export interface LocalPresence {
  presence: Presence;
  /** the sandboxes of the students' channels there: another instance may hold a copy of each (failover) */
  sessions: string[];
}

/** What the other instances tell this one. */
export interface FanoutHandlers {
  /** a class's board changed there (a join, a result, presence): rebuild it here if someone watches */
  boardChanged(code: string): void;
  /** where the teacher sent the class: a lesson's place or a shared capture */
  navigate(code: string, navigation: TeacherNavigation): void;
  relayed(code: string, messages: RelayedMessage[]): void;
  /** a member's channels must close on every instance: the name joined again elsewhere, or the teacher removed them */
  memberOut(code: string, memberId: number, reason: MemberOutReason): void;
  /** the teacher ended or reopened the class, sent a message or set the timer: the students here get the new state */
  classStatus(code: string, status: ClassStatus): void;
  /** the teacher reset the students' data: this instance's students of the class get theirs reset */
  resetData(code: string): void;
  /** the teacher sent a cell (already blanked): this instance's followers of the class get it */
  cellDraft(code: string, draft: CellDraft): void;
}

/**
 * An instance's presence entry lives this long unless refreshed: the students of an instance that
 * died without saying goodbye leave the board after it. @default 30 s
 */
export const PRESENCE_TTL_MS = 30_000;
/** @default 10 s */
const PRESENCE_REFRESH_MS = 10_000;

/** What an event on `classroom:events` may carry besides its type and class. */
interface FanoutEvent {
  /** on a `board` event: it was a presence write (the sessions online there changed) */
  presence?: boolean;
  navigation?: TeacherNavigation;
  memberId?: number;
  reason?: MemberOutReason;
  status?: ClassStatus;
  draft?: CellDraft;
}

interface PresenceEntry {
  until: number;
  /** member id, following, watching, place, waits (the last three absent in an entry written by an older instance) */
  members: Array<[number, boolean, boolean?, (TeacherNavigation | null)?, (FollowWait | null)?]>;
  /** the browser sessions of those members' channels (absent in an entry written by an older instance) */
  sessions?: string[];
}

/**
 * The classroom's live side across instances, over the Redis every instance shares
 * (README.md, "Several instances"):
 * - presence: one hash per class, a field per instance with its members online and whether
 *   they follow, the browser sessions of their channels, and a deadline (Redis 7.0 cannot expire a
 *   hash field; readers skip and remove late ones). Every instance keeps the other instances'
 *   sessions in memory (read again whenever a presence write is announced): after a failover a
 *   student's HTTP and class channel may be on different instances, and the freeze and the reset
 *   must reach the copy of the sandbox that the HTTP instance holds, synchronously, at the write;
 * - events (JSON, one channel): a board changed, the teacher navigated (also kept in a key for
 *   followers who come later), a member's channels must close, the class's state changed, the
 *   teacher sent a cell;
 * - the teacher's relayed traffic (binary, one channel: relay-envelope.ts).
 * Writes and the PUBLISH that announces them go over one connection, in order: an instance that
 * hears "board changed" reads the write it announces.
 */
export class ClassroomFanout {
  private readonly eventsChannel: string;
  private readonly relayChannel: string;
  private readonly subscriber: Redis;
  private readonly relayPublisher: Redis;
  /** classes with local students, and their presence as last written */
  private readonly localPresence = new Map<string, LocalPresence>();
  /** the other instances' students' sessions per class, as last read from the presence hash */
  private readonly sessionsThere = new Map<string, Array<{ until: number; sessions: string[] }>>();
  private readonly presenceWrites = new Map<string, { running: Promise<void>; again: boolean }>();
  private refreshTimer: ReturnType<typeof setInterval> | null = null;
  private stopped = false;

  constructor(
    private readonly scale: ScaleContext,
    /** the store's connection: presence, navigation and events go in order with the store's writes */
    private readonly redis: Redis,
    private readonly handlers: FanoutHandlers,
    private readonly log: FastifyBaseLogger,
  ) {
    this.eventsChannel = scale.key('classroom:events');
    this.relayChannel = scale.key('classroom:relay');
    this.subscriber = scale.connection('classroom-subscriber');
    // Relayed traffic can be large: it does not wait behind (or hold up) the store's commands.
    this.relayPublisher = scale.connection('classroom-relay');
  }

  async start(): Promise<void> {
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      try {
        this.receive(channel.toString(), message);
      } catch (error) {
        this.log.warn({ err: error }, 'classroom: a message from another instance failed');
      }
    });
    await this.subscriber.subscribe(this.eventsChannel, this.relayChannel);
    this.refreshTimer = setInterval(() => {
      for (const code of this.localPresence.keys()) this.writePresence(code);
    }, PRESENCE_REFRESH_MS);
    this.refreshTimer.unref();
  }

  /** Before the connections close: this instance's students leave the other instances' boards. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    const codes = [...this.localPresence.keys()];
    await Promise.allSettled([...this.presenceWrites.values()].map((write) => write.running));
    await Promise.allSettled(
      codes.map(async (code) => {
        await this.redis.hdel(this.presenceKey(code), this.scale.instanceId);
        await this.publishEvent({ type: 'board', code });
      }),
    );
  }

  private presenceKey(code: string): string {
    return this.scale.key(`classroom:presence:${code}`);
  }

  private receive(channel: string, message: Buffer): void {
    if (channel === this.relayChannel) {
      const envelope = decodeRelayEnvelope(message);
      if (envelope && envelope.from !== this.scale.instanceId) this.handlers.relayed(envelope.code, envelope.messages);
      return;
    }
    const event = JSON.parse(message.toString('utf8')) as FanoutEvent & { from?: string; type?: string; code?: string };
    if (event.from === this.scale.instanceId || typeof event.code !== 'string') return;
    if (event.type === 'board') {
      this.handlers.boardChanged(event.code);
      if (event.presence) this.background(this.readSessionsElsewhere(event.code));
    } else if (event.type === 'navigate' && event.navigation) this.handlers.navigate(event.code, event.navigation);
    else if (event.type === 'class-status' && event.status) this.handlers.classStatus(event.code, event.status);
    else if (event.type === 'reset-data') this.handlers.resetData(event.code);
    else if (event.type === 'cell-draft' && event.draft) this.handlers.cellDraft(event.code, event.draft);
    else if (event.type === 'member-out' && typeof event.memberId === 'number' && typeof event.reason === 'string' && event.reason in MEMBER_OUT_CLOSE)
      this.handlers.memberOut(event.code, event.memberId, event.reason);
  }

  /** A member's channels on the other instances close (this instance closes its own). */
  memberOut(code: string, memberId: number, reason: MemberOutReason): void {
    if (!this.stopped) this.background(this.publishEvent({ type: 'member-out', code, memberId, reason }));
  }

  /** The class's new state for the students on the other instances (it is in the store already). */
  classStatus(code: string, status: ClassStatus): void {
    if (!this.stopped) this.background(this.publishEvent({ type: 'class-status', code, status }));
  }

  /** The other instances reset the data of their students of the class. */
  resetData(code: string): void {
    if (!this.stopped) this.background(this.publishEvent({ type: 'reset-data', code }));
  }

  /** The teacher's cell, blanked on the teacher's instance, for the followers on the others. */
  cellDraft(code: string, draft: CellDraft): void {
    if (!this.stopped) this.background(this.publishEvent({ type: 'cell-draft', code, draft }));
  }

  private async publishEvent(event: FanoutEvent & { type: string; code: string }): Promise<void> {
    await this.redis.publish(this.eventsChannel, JSON.stringify({ from: this.scale.instanceId, ...event }));
  }

  private background(work: Promise<unknown>): void {
    work.catch((error: unknown) => {
      if (!this.stopped) this.log.warn({ err: error }, 'classroom: telling the other instances failed');
    });
  }

  /** Call after the store's write that changed the board has completed. */
  boardChanged(code: string): void {
    if (!this.stopped) this.background(this.publishEvent({ type: 'board', code }));
  }

  /** This instance's students of a class changed (joined the channel, left, follow on or off). */
  presenceChanged(code: string, local: LocalPresence): void {
    if (this.stopped) return;
    if (local.presence.size === 0) this.localPresence.delete(code);
    else this.localPresence.set(code, local);
    this.writePresence(code);
  }

  /**
   * One write per class at a time; changes made meanwhile are written once after it (a hall
   * connecting at once costs a few writes, not one per student).
   */
  private writePresence(code: string): void {
    const pending = this.presenceWrites.get(code);
    if (pending) {
      pending.again = true;
      return;
    }
    const entry = { running: Promise.resolve(), again: false };
    const write = async (): Promise<void> => {
      do {
        entry.again = false;
        const local = this.localPresence.get(code);
        if (local) {
          const members = [...local.presence].map(([member, flags]): PresenceEntry['members'][number] => [
            member,
            flags.following,
            flags.watching,
            flags.place ?? null,
            flags.waits ?? null,
          ]);
          const value: PresenceEntry = { until: Date.now() + PRESENCE_TTL_MS, members, sessions: local.sessions };
          await this.redis.hset(this.presenceKey(code), this.scale.instanceId, JSON.stringify(value));
        } else {
          await this.redis.hdel(this.presenceKey(code), this.scale.instanceId);
        }
        await this.publishEvent({ type: 'board', code, presence: true });
      } while (entry.again && !this.stopped);
    };
    entry.running = write()
      .catch((error: unknown) => {
        if (!this.stopped) this.log.warn({ err: error }, 'classroom: writing presence failed');
      })
      .finally(() => this.presenceWrites.delete(code));
    this.presenceWrites.set(code, entry);
  }

  /** The other instances' students of a class who have a channel open (member id → following). */
  async othersPresence(code: string): Promise<Presence> {
    const merged: Presence = new Map();
    for (const entry of await this.othersEntries(code)) {
      for (const [member, following, watching, place, waits] of entry.members) {
        mergePresence(merged, member, {
          following,
          watching: watching ?? false,
          place: place ?? null,
          waits: waits && FOLLOW_WAITS.includes(waits) ? waits : null,
        });
      }
    }
    return merged;
  }

  /** The other instances' live presence entries of a class (late ones are removed). */
  private async othersEntries(code: string): Promise<PresenceEntry[]> {
    const fields = await this.redis.hgetall(this.presenceKey(code));
    const now = Date.now();
    const entries: PresenceEntry[] = [];
    const late: string[] = [];
    for (const [instance, text] of Object.entries(fields)) {
      if (instance === this.scale.instanceId) continue;
      const entry = JSON.parse(text) as PresenceEntry;
      if (entry.until < now) late.push(instance);
      else entries.push(entry);
    }
    if (late.length > 0) this.background(this.redis.hdel(this.presenceKey(code), ...late));
    return entries;
  }

  /** Reads the other instances' sessions of a class into memory (sessionsElsewhere answers from it). */
  async readSessionsElsewhere(code: string): Promise<void> {
    const entries = (await this.othersEntries(code)).filter((entry) => entry.sessions && entry.sessions.length > 0);
    if (entries.length === 0) this.sessionsThere.delete(code);
    else
      this.sessionsThere.set(
        code,
        entries.map((entry) => ({ until: entry.until, sessions: entry.sessions ?? [] })),
      );
  }

  /** The browser sessions of the class's students whose channels are on other instances (as last read; synchronous, for the write guard). */
  sessionsElsewhere(code: string): string[] {
    const now = Date.now();
    return (this.sessionsThere.get(code) ?? []).filter((entry) => entry.until >= now).flatMap((entry) => entry.sessions);
  }

  /** The classes with students online on other instances (as last read). */
  codesElsewhere(): Iterable<string> {
    return this.sessionsThere.keys();
  }

  forgetClass(code: string): void {
    this.sessionsThere.delete(code);
  }

  /** Kept for followers who come later (on any instance), and told to the followers now. */
  async navigated(code: string, navigation: TeacherNavigation): Promise<void> {
    await this.redis.set(this.scale.key(`classroom:navigation:${code}`), JSON.stringify(navigation));
    await this.publishEvent({ type: 'navigate', code, navigation });
  }

  async navigation(code: string): Promise<TeacherNavigation | null> {
    const text = await this.redis.get(this.scale.key(`classroom:navigation:${code}`));
    return text ? (JSON.parse(text) as TeacherNavigation) : null;
  }

  relayed(code: string, messages: RelayedMessage[]): void {
    if (this.stopped) return;
    this.background(this.relayPublisher.publish(this.relayChannel, encodeRelayEnvelope({ from: this.scale.instanceId, code, messages })));
  }
}
