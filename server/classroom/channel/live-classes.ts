import type { WebSocket } from 'ws';
import type { ServerMessage } from '../../../contracts/class-channel/messages.ts';
import { MEMBER_OUT_CLOSE } from '../class-errors.ts';
import type { FollowWait } from '../../../contracts/class-channel/messages.ts';
import { mergePresence, type MemberOutReason, type Presence, type TeacherNavigation } from '../relay/classroom-fanout.ts';
import type { FollowerFrame } from '../relay/follower-frames.ts';
import { RelayReplay, type TeacherRelay } from '../relay/teacher-relay.ts';

// What this instance holds of each class while it is live: the students' channels open here, where
// the teacher is, and the teacher's traffic relayed to followers. Stored facts (members, results,
// the class's state) are the store's; this is only who is connected here, and how to reach them.

/** Bytes waiting for a follower that does not read: past this it is closed (1013) and reconnects. */
const MAX_FOLLOWER_BACKLOG = 4 * 1024 * 1024;

export interface StudentChannel {
  socket: WebSocket;
  memberId: number;
  following: boolean;
  /** the page is visible (Page Visibility API, as the page last said; visible until it says otherwise) */
  visible: boolean;
  /** the browser session (= sandbox) the channel's cookie named: what "reset everyone's data" resets */
  session: string | null;
  /** where the page is and why it is not where the teacher is, as it last said (`place`) */
  place: TeacherNavigation | null;
  waits: FollowWait | null;
}

/** A class's live side on this instance: who is connected here, where the teacher is, the teacher's traffic. */
export interface LiveClass {
  students: Set<StudentChannel>;
  /** where the teacher sent the class last: a lesson's place or a shared capture */
  navigation: TeacherNavigation | null;
  /** the teacher's traffic, when the teacher leads from this instance */
  relay: TeacherRelay | null;
  /** what a follower who comes now is given of the teacher's traffic (relayed here or from another instance) */
  replay: RelayReplay;
}

export class LiveClasses {
  private readonly rooms = new Map<string, LiveClass>();

  /** The class's live side, made when first needed. */
  room(code: string): LiveClass {
    let room = this.rooms.get(code);
    if (!room) {
      room = { students: new Set(), navigation: null, relay: null, replay: new RelayReplay() };
      this.rooms.set(code, room);
    }
    return room;
  }

  /** The class's live side if anything of it is live here. */
  existing(code: string): LiveClass | undefined {
    return this.rooms.get(code);
  }

  /** The classes with anything live here. */
  codes(): Iterable<string> {
    return this.rooms.keys();
  }

  students(code: string): Iterable<StudentChannel> {
    return this.rooms.get(code)?.students ?? [];
  }

  /** This instance's students of a class with a channel open: member id → following, watching (any of their channels), where they are. */
  presence(code: string): Presence {
    const presence: Presence = new Map();
    for (const channel of this.students(code)) {
      mergePresence(presence, channel.memberId, {
        following: channel.following,
        watching: channel.following && channel.visible,
        place: channel.place,
        waits: channel.following ? channel.waits : null,
      });
    }
    return presence;
  }

  /** A member's channels on this instance close at once, saying why (MEMBER_OUT_CLOSE). */
  closeMember(code: string, memberId: number, reason: MemberOutReason): void {
    for (const channel of this.students(code)) {
      if (channel.memberId === memberId) channel.socket.close(MEMBER_OUT_CLOSE[reason].code, MEMBER_OUT_CLOSE[reason].reason);
    }
  }

  /** A message to every student of the class connected here. */
  sendToStudents(code: string, message: ServerMessage, only?: (channel: StudentChannel) => boolean): void {
    const text = JSON.stringify(message);
    for (const channel of this.students(code)) if (!only || only(channel)) sendJson(channel.socket, text);
  }

  sendToFollowers(room: LiveClass, frames: readonly FollowerFrame[]): void {
    for (const channel of room.students) if (channel.following) sendFrames(channel.socket, frames);
  }

  /** The class was deleted: its relay stops and nothing of it stays here. */
  forget(code: string): void {
    this.rooms.get(code)?.relay?.stop();
    this.rooms.delete(code);
  }

  stopRelays(): void {
    for (const room of this.rooms.values()) room.relay?.stop();
  }
}

/** A class channel message, if the socket is still open (a JSON text made once for many sockets, or a message). */
export function sendJson(socket: WebSocket, message: ServerMessage | string): void {
  if (socket.readyState === socket.OPEN) socket.send(typeof message === 'string' ? message : JSON.stringify(message));
}

/** The teacher's traffic to one follower; one that does not read is closed rather than buffered without end. */
export function sendFrames(socket: WebSocket, frames: readonly FollowerFrame[]): void {
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
