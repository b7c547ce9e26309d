import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { ScaleContext } from '../scale/scale-plugin.ts';
import { decodeRelayEnvelope, encodeRelayEnvelope } from './relay-envelope.ts';
import { MEMBER_OUT_CLOSE, type CellDraft, type ClassStatus, type MemberOutReason, type Navigation } from '../../contracts/class-channel/messages.ts';
import type { RelayedMessage } from './teacher-relay.ts';

export type { MemberOutReason, Navigation };

/** Who has a class channel open on one instance: member id → following. */
export type Presence = Map<number, boolean>;

/** What the other instances tell this one. */
export interface FanoutHandlers {
  /** a class's board changed there (a join, a result, presence): rebuild it here if someone watches */
  boardChanged(code: string): void;
  navigate(code: string, navigation: Navigation): void;
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
  navigation?: Navigation;
  memberId?: number;
  reason?: MemberOutReason;
  status?: ClassStatus;
  draft?: CellDraft;
}

interface PresenceEntry {
  until: number;
  members: Array<[number, boolean]>;
}

/**
 * The classroom's live side across instances, over the Redis every instance shares
 * (README.md, "Several instances"):
 * - presence: one hash per class, a field per instance with its members online and whether
 *   they follow, and a deadline (Redis 7.0 cannot expire a hash field; readers skip and remove
 *   late ones);
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
  private readonly localPresence = new Map<string, Presence>();
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
    if (event.type === 'board') this.handlers.boardChanged(event.code);
    else if (event.type === 'navigate' && event.navigation) this.handlers.navigate(event.code, event.navigation);
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
  presenceChanged(code: string, presence: Presence): void {
    if (this.stopped) return;
    if (presence.size === 0) this.localPresence.delete(code);
    else this.localPresence.set(code, presence);
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
        const presence = this.localPresence.get(code);
        if (presence) {
          const value: PresenceEntry = { until: Date.now() + PRESENCE_TTL_MS, members: [...presence] };
          await this.redis.hset(this.presenceKey(code), this.scale.instanceId, JSON.stringify(value));
        } else {
          await this.redis.hdel(this.presenceKey(code), this.scale.instanceId);
        }
        await this.publishEvent({ type: 'board', code });
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
    const fields = await this.redis.hgetall(this.presenceKey(code));
    const now = Date.now();
    const merged: Presence = new Map();
    const late: string[] = [];
    for (const [instance, text] of Object.entries(fields)) {
      if (instance === this.scale.instanceId) continue;
      const entry = JSON.parse(text) as PresenceEntry;
      if (entry.until < now) {
        late.push(instance);
        continue;
      }
      for (const [member, following] of entry.members) merged.set(member, (merged.get(member) ?? false) || following);
    }
    if (late.length > 0) this.background(this.redis.hdel(this.presenceKey(code), ...late));
    return merged;
  }

  /** Kept for followers who come later (on any instance), and told to the followers now. */
  async navigated(code: string, navigation: Navigation): Promise<void> {
    await this.redis.set(this.scale.key(`classroom:navigation:${code}`), JSON.stringify(navigation));
    await this.publishEvent({ type: 'navigate', code, navigation });
  }

  async navigation(code: string): Promise<Navigation | null> {
    const text = await this.redis.get(this.scale.key(`classroom:navigation:${code}`));
    return text ? (JSON.parse(text) as Navigation) : null;
  }

  relayed(code: string, messages: RelayedMessage[]): void {
    if (this.stopped) return;
    this.background(this.relayPublisher.publish(this.relayChannel, encodeRelayEnvelope({ from: this.scale.instanceId, code, messages })));
  }
}
