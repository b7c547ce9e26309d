import type { WirelabNamespace as ChatNamespace } from './socket-data.ts';

/** A chat room of one sandbox (as its clients name it) and the names of its members, sorted. */
export interface RoomListing {
  room: string;
  members: string[];
}

/** Server-side events between instances (the Redis adapter's serverSideEmit): each answers for its own sockets. */
const ASK_ROOM_SIZE = 'wirelab:room-size';
const ASK_ROOMS_OF = 'wirelab:rooms-of';

/** The chat rooms of a sandbox on one instance: keys `<prefix><room>` of the adapter's room map. */
export function localListing(chat: ChatNamespace, prefix: string): RoomListing[] {
  const listing: RoomListing[] = [];
  for (const [key, ids] of chat.adapter.rooms) {
    if (!key.startsWith(prefix)) continue;
    const members = [...ids].map((id) => chat.sockets.get(id)?.data.name).filter((name): name is string => name !== undefined);
    listing.push({ room: key.slice(prefix.length), members });
  }
  return listing;
}

/** Every instance's listing as one: a room's members from all of them, rooms and names sorted. */
export function mergeListings(listings: readonly RoomListing[][]): RoomListing[] {
  const rooms = new Map<string, string[]>();
  for (const listing of listings) {
    for (const { room, members } of listing) rooms.set(room, [...(rooms.get(room) ?? []), ...members]);
  }
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...rooms].map(([room, members]) => ({ room, members: members.sort(byText) })).sort((a, b) => byText(a.room, b.room));
}

/**
 * Who is in a chat room, across instances. Socket.IO's room map (`adapter.rooms`) holds only
 * this process's sockets; with the Redis adapter the other instances are asked (serverSideEmit
 * with an ack: one request on Redis, one small answer per instance) rather than fetchSockets,
 * which would ship every member's handshake (headers, cookies) just to count it. An instance that
 * does not answer within `timeoutMs` is left out: the count is then too low, never wrong in kind.
 */
export class RoomCensus {
  constructor(
    private readonly chat: ChatNamespace,
    private readonly scaled: boolean,
    private readonly timeoutMs: number,
  ) {
    if (!scaled) return;
    chat.on(ASK_ROOM_SIZE, (key: string, answer: (size: number) => void) => answer(this.localSize(key)));
    chat.on(ASK_ROOMS_OF, (prefix: string, answer: (listing: RoomListing[]) => void) => answer(localListing(chat, prefix)));
  }

  /** Members of this process in the room now: taken before any await, so a leave already done here counts. */
  localSize(key: string): number {
    return this.chat.adapter.rooms.get(key)?.size ?? 0;
  }

  /** Members of the room on the other instances (0 as one process). */
  async remoteSize(key: string): Promise<number> {
    const sizes = await this.askOthers<number>(ASK_ROOM_SIZE, key);
    return sizes.reduce((sum, size) => sum + (Number.isInteger(size) ? size : 0), 0);
  }

  /** The rooms under `prefix` (one sandbox's) with their members' names, every instance together. */
  async listing(prefix: string): Promise<RoomListing[]> {
    const remote = await this.askOthers<RoomListing[]>(ASK_ROOMS_OF, prefix);
    return mergeListings([localListing(this.chat, prefix), ...remote.filter(Array.isArray)]);
  }

  private askOthers<T>(event: string, arg: string): Promise<T[]> {
    if (!this.scaled) return Promise.resolve([]);
    return new Promise((resolve) => {
      // The adapter answers with what came by its own timeout; this one covers a Redis that never replies.
      const fallback = setTimeout(() => resolve([]), this.timeoutMs + 500);
      fallback.unref();
      this.chat.serverSideEmit(event, arg, (_error: Error | null, answers: T[]) => {
        clearTimeout(fallback);
        resolve(answers ?? []);
      });
    });
  }
}
