import * as ws from 'ws';
import { decodeChunkFrame } from '../../contracts/capture-channel/messages.ts';

/** ws's own frame parser (exported by the package, not typed by @types/ws) */
interface FrameReceiver {
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  write(data: Buffer, done: () => void): void;
}
const { Receiver } = ws as unknown as {
  Receiver: new (options: { isServer: boolean; skipUTF8Validation: boolean }) => FrameReceiver;
};

const HEAD_END = '\r\n\r\n';

/** The client's WebSocket payloads after the handshake, unmasked by the ws library (null: not a WebSocket). */
function unmaskedPayloads(inbound: Buffer): Promise<string | null> {
  const text = inbound.toString('latin1');
  const end = text.indexOf(HEAD_END);
  if (end === -1 || !/^upgrade:\s*websocket/im.test(text.slice(0, end))) return Promise.resolve(null);
  return new Promise((resolve) => {
    const payloads: string[] = [];
    const receiver = new Receiver({ isServer: true, skipUTF8Validation: true });
    receiver.on('message', (data: Buffer) => payloads.push(data.toString('latin1')));
    receiver.on('error', () => resolve(payloads.join('\n')));
    receiver.write(inbound.subarray(end + HEAD_END.length), () => resolve(payloads.join('\n')));
  });
}

/** Every run of base64 or base64url text in `text`, decoded. */
function base64Decoded(text: string): string[] {
  return [...text.matchAll(/[A-Za-z0-9+/_-]{16,}={0,2}/g)].map((match) =>
    Buffer.from(match[0].replaceAll('-', '+').replaceAll('_', '/'), 'base64').toString('latin1'),
  );
}

/**
 * What a follower could read of each secret in the relayed binary chunk frames: the bytes of
 * each connection as they came, its browser's WebSocket payloads unmasked, and every base64 run
 * in either decoded — each searched for each secret. Returns the secrets found, with where.
 */
export async function secretsInRelay(frames: readonly Buffer[], secrets: Record<string, string>): Promise<string[]> {
  const streams = new Map<string, Buffer[]>();
  for (const frame of frames) {
    for (const chunk of decodeChunkFrame(frame)) {
      const key = `${chunk.conn} ${chunk.dir}`;
      streams.set(key, [...(streams.get(key) ?? []), Buffer.from(chunk.data)]);
    }
  }
  const texts: Array<[string, string]> = [];
  for (const [key, parts] of streams) {
    const bytes = Buffer.concat(parts);
    texts.push([key, bytes.toString('latin1')]);
    if (key.endsWith(' in')) {
      const unmasked = await unmaskedPayloads(bytes);
      if (unmasked !== null) texts.push([`${key} (WebSocket, unmasked)`, unmasked]);
    }
  }
  for (const [key, text] of [...texts]) for (const decoded of base64Decoded(text)) texts.push([`${key} (base64)`, decoded]);
  const found: string[] = [];
  for (const [name, secret] of Object.entries(secrets)) {
    for (const [where, text] of texts) if (text.includes(secret)) found.push(`${name} in ${where}`);
  }
  return found;
}
