import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { ChatRooms, type ChatMember } from './chat-room.ts';

function member(name: string): ChatMember & { frames: string[] } {
  const frames: string[] = [];
  const socket = { readyState: 1, OPEN: 1, bufferedAmount: 0, send: (text: string) => frames.push(text) } as unknown as WebSocket;
  return { name, socket, frames };
}

describe('ChatRooms with a relay (several instances)', () => {
  it('broadcasts to this instance’s members and through the relay; relayed frames and broadcastHere stay here', () => {
    const rooms = new ChatRooms(10, 1 << 20);
    const published: Array<[string, string]> = [];
    rooms.relayThrough({ publish: (room, frame) => published.push([room, frame]) });
    const ada = member('ada');
    const alan = member('alan');
    rooms.join('s1', ada);
    rooms.join('s1', alan);

    rooms.broadcast('s1', { type: 'joined', name: 'alan' }, alan);
    expect(ada.frames).toEqual(['{"type":"joined","name":"alan"}']);
    expect(alan.frames).toEqual([]);
    // The member left out is on this instance: the others have no one to leave out.
    expect(published).toEqual([['s1', '{"type":"joined","name":"alan"}']]);

    rooms.deliverRelayed('s1', '{"type":"message","from":"bob"}');
    rooms.broadcastHere('s1', { type: 'event', id: 7 });
    expect(alan.frames).toEqual(['{"type":"message","from":"bob"}', '{"type":"event","id":7}']);
    expect(published).toHaveLength(1);

    // A room with no member here still reaches the other instances.
    rooms.broadcast('s2', { type: 'message', text: 'anyone?' });
    expect(published[1]).toEqual(['s2', '{"type":"message","text":"anyone?"}']);
  });
});
