// "Save .pcapng" (README.md, "Open it in Wireshark"): kept connections as a pcapng file, assembled
// from all the chunks the store holds, not its latest decode, which may not have taken on a burst's
// newest bytes yet. What «Поделиться» / "Share" sends is shown-capture.ts.
import { capturesToPcapng } from '../../wire/pcapng/export-pcapng.ts';
import { assembleConnection } from '../../wire/stream-assembler.ts';
import type { TrackedConnection } from './capture-types.ts';

export function trackedToPcapng(connections: readonly TrackedConnection[]): Uint8Array<ArrayBuffer> {
  return capturesToPcapng(
    connections.map(({ connection, chunks }) => ({ connection, streams: assembleConnection(connection.id, chunks, connection.closedAt !== undefined) })),
  );
}
