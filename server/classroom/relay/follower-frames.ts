import { chunkFrame } from '../../tap/capture-channel.ts';
import type { RelayedMessage } from './teacher-relay.ts';

/** The relayed messages as WebSocket frames, built once however many followers get them. */
export type FollowerFrame = { binary: Uint8Array } | { text: string };

export function followerFrames(messages: readonly RelayedMessage[]): FollowerFrame[] {
  const frames: FollowerFrame[] = [];
  for (const message of messages) {
    if (message.type === 'chunks') frames.push({ binary: chunkFrame(message.chunks) });
    else if (message.type !== 'connection-update') frames.push({ text: JSON.stringify({ type: 'teacher-wire', message }) });
  }
  return frames;
}
