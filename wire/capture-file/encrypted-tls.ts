import { ru } from '../node-text.ts';
import type { ByteStream } from '../stream-assembler.ts';
import type { CapturedConnection, DecodedConnection, WireNode } from '../types.ts';

/**
 * A TLS connection in an opened capture file: its bytes are encrypted, and without the session's
 * keys nothing in them can be read. Said over each direction's bytes rather than guessed at.
 */
export function encryptedTls(connection: CapturedConnection, streams: { in: ByteStream; out: ByteStream }): DecodedConnection {
  return {
    connection,
    exchanges: [],
    notes: (['in', 'out'] as const)
      .filter((dir) => streams[dir].end > 0)
      .map((dir) => {
        const node: WireNode = {
          kind: 'tls-encrypted',
          label: 'TLS — encrypted, not decoded',
          value: 'a TLS ClientHello opened this connection; without its keys the records cannot be read',
          range: { start: streams[dir].segments[0]?.start ?? 0, end: streams[dir].end },
        };
        return { dir, node: ru(node, 'TLS — зашифровано, не декодируется', 'соединение открыл TLS ClientHello; без его ключей записи не прочесть') };
      }),
  };
}
