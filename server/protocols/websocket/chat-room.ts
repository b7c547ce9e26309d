import type { WebSocket } from 'ws';
import { sendGuarded } from './send-guarded.ts';

export interface ChatMember {
  name: string;
  socket: WebSocket;
}

/** Carries a room's broadcasts to the same room on the other instances (server/scale/chat-relay.ts). */
export interface RoomRelay {
  publish(room: string, frame: string): void;
}

/**
 * The chat rooms of /ws/chat: one per sandbox, so students never read each other's rooms. With
 * several instances a room's members may sit on several of them: `broadcast` also goes through
 * the relay. Membership (the member limit, `names`) is this instance's own.
 */
export class ChatRooms {
  private readonly rooms = new Map<string, Set<ChatMember>>();
  private relay: RoomRelay | null = null;

  constructor(
    private readonly maxMembers: number,
    private readonly maxBufferedBytes: number,
  ) {}

  /** false when the room is full */
  join(room: string, member: ChatMember): boolean {
    let members = this.rooms.get(room);
    if (!members) this.rooms.set(room, (members = new Set()));
    if (members.size >= this.maxMembers) return false;
    members.add(member);
    return true;
  }

  leave(room: string, member: ChatMember): void {
    const members = this.rooms.get(room);
    if (!members) return;
    members.delete(member);
    if (members.size === 0) this.rooms.delete(room);
  }

  names(room: string): string[] {
    return [...(this.rooms.get(room) ?? [])].map((member) => member.name);
  }

  /** From now on broadcasts reach the room's members on the other instances too. */
  relayThrough(relay: RoomRelay): void {
    this.relay = relay;
  }

  /** Serialized once, the same frame payload for every member (but `except`), here and on the other instances. */
  broadcast(room: string, message: Record<string, unknown>, except?: ChatMember): void {
    const text = JSON.stringify(message);
    this.sendHere(room, text, except);
    this.relay?.publish(room, text);
  }

  /** To this instance's members only: what every instance sends on its own (domain events). */
  broadcastHere(room: string, message: Record<string, unknown>): void {
    this.sendHere(room, JSON.stringify(message));
  }

  /** A broadcast another instance relayed: its frame payload as it was serialized there. */
  deliverRelayed(room: string, frame: string): void {
    this.sendHere(room, frame);
  }

  private sendHere(room: string, text: string, except?: ChatMember): void {
    const members = this.rooms.get(room);
    if (!members) return;
    for (const member of [...members]) if (member !== except) sendGuarded(member.socket, text, this.maxBufferedBytes);
  }
}

/** A token bucket: `perSecond` tokens a second, as many in a burst. */
export class MessageRate {
  private tokens: number;
  private last = performance.now();

  constructor(private readonly perSecond: number) {
    this.tokens = perSecond;
  }

  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
