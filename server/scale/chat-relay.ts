import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { ScaleContext } from './scale-plugin.ts';

/** The channel of /ws/chat room broadcasts between instances: key('ws-chat'). */
export const WS_CHAT_CHANNEL = 'ws-chat';

/** What a room broadcast is in Redis: which instance sent it, to which room, the frame payload as sent there. */
export interface RelayedRoomFrame {
  origin: string;
  room: string;
  frame: string;
}

/** Rooms that take broadcasts from other instances and send theirs through a relay (ChatRooms). */
export interface RelayableRooms {
  relayThrough(relay: { publish(room: string, frame: string): void }): void;
  deliverRelayed(room: string, frame: string): void;
}

function parseRoomFrame(message: string): RelayedRoomFrame | null {
  try {
    const value = JSON.parse(message) as Partial<RelayedRoomFrame> | null;
    if (value && typeof value.origin === 'string' && typeof value.room === 'string' && typeof value.frame === 'string') return value as RelayedRoomFrame;
  } catch {
    // not ours: ignored below
  }
  return null;
}

/**
 * Joins the chat rooms of this instance to the same rooms on the others (server/scale/README.md):
 * every broadcast goes to this instance's members at once and through Redis pub/sub to the
 * members elsewhere. Live only, like the chat itself: nothing is kept, a broadcast made while
 * Redis is unreachable reaches only this instance's members (logged).
 */
export async function relayChatRooms(
  scale: Pick<ScaleContext, 'key' | 'instanceId' | 'connection'>,
  rooms: RelayableRooms,
  log: FastifyBaseLogger,
): Promise<void> {
  const channel = scale.key(WS_CHAT_CHANNEL);
  // No offline queue: a chat line from ten seconds ago would arrive out of place.
  const publisher: Redis = scale.connection('ws-chat-pub', { enableOfflineQueue: false });
  const subscriber: Redis = scale.connection('ws-chat-sub');
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const relayed = parseRoomFrame(message);
    if (!relayed) return void log.warn({ message: message.slice(0, 200) }, 'not a chat frame on the chat channel: ignored');
    if (relayed.origin !== scale.instanceId) rooms.deliverRelayed(relayed.room, relayed.frame);
  });
  await subscriber.subscribe(channel);
  let unreachable = false;
  rooms.relayThrough({
    publish(room, frame) {
      const message: RelayedRoomFrame = { origin: scale.instanceId, room, frame };
      publisher.publish(channel, JSON.stringify(message)).then(
        () => {
          if (!unreachable) return;
          unreachable = false;
          log.info('Redis answers again: chat rooms reach the other instances again');
        },
        (error: unknown) => {
          if (unreachable) return;
          unreachable = true;
          log.warn({ err: error }, 'Redis unreachable: chat broadcasts reach only this instance’s members');
        },
      );
    },
  });
}
