import type { WebSocket } from 'ws';
import { sendGuarded } from './send-guarded.ts';

export interface ChatMember {
  name: string;
  socket: WebSocket;
}

/** The chat rooms of /ws/chat: one per sandbox, so students never read each other's rooms. */
export class ChatRooms {
  private readonly rooms = new Map<string, Set<ChatMember>>();

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

  /** Serialized once, the same frame payload for every member (but `except`). */
  broadcast(room: string, message: Record<string, unknown>, except?: ChatMember): void {
    const members = this.rooms.get(room);
    if (!members) return;
    const text = JSON.stringify(message);
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
