// The hub's record of a connection Wirelab opens itself (server/own-server): owned by the session
// that asked from its first byte, announced once TCP is up, Wirelab's bytes `in`, the server's `out`.
import { describe, expect, it } from 'vitest';
import { CaptureHub, FLUSH_EVERY_MS } from './capture-hub.ts';
import type { CaptureMessage } from './capture-types.ts';

const ASKER = 'AAAAAAAAAAAAAAAAAAAAAA';
const OTHER = 'BBBBBBBBBBBBBBBBBBBBBB';

function collect(hub: CaptureHub, session: string) {
  const messages: CaptureMessage[] = [];
  // the replay's `recording` state is not what these tests look at
  hub.subscribe(session, { deliver: (batch) => messages.push(...batch.filter((m) => m.type !== 'recording')) });
  return messages;
}
const flush = () => new Promise((resolve) => setTimeout(resolve, FLUSH_EVERY_MS + 5));

describe('an outbound connection in the byte tap', () => {
  it('is the asking session’s only, announced when connected with Wirelab as the client, the early bytes first', async () => {
    const hub = new CaptureHub();
    const [asker, other] = [collect(hub, ASKER), collect(hub, OTHER)];
    const recorder = hub.trackOutbound(ASKER, '127.0.0.1', 'http/1.1');
    recorder.sent(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    await flush();
    // written while connecting: kept, not shown before the connection is
    expect(asker).toEqual([]);
    recorder.connected({ address: '127.0.0.1', port: 41000 }, { address: '127.0.0.1', port: 8000 });
    const reply = Buffer.from('HTTP/1.1 200 OK\r\n\r\n');
    recorder.received(reply);
    reply.fill(0); // a client reusing its buffer does not change what was recorded
    recorder.closed();
    await flush();
    expect(asker.map((m) => m.type)).toEqual(['connection', 'chunk', 'chunk', 'closed']);
    expect(asker[0]).toMatchObject({ conn: { id: recorder.id, transport: 'http/1.1', outbound: true, remote: '127.0.0.1:41000', local: '127.0.0.1:8000' } });
    const recorded = asker.flatMap((m) => (m.type === 'chunk' ? [`${m.chunk.dir}@${m.chunk.offset}:${m.chunk.data.toString()}`] : []));
    expect(recorded).toEqual(['in@0:GET / HTTP/1.1\r\n\r\n', 'out@0:HTTP/1.1 200 OK\r\n\r\n']);
    expect(other).toEqual([]);
  });

  it('shows nothing of a connection that never connected, and keeps no bytes while recording is off', async () => {
    const hub = new CaptureHub();
    const asker = collect(hub, ASKER);
    const refused = hub.trackOutbound(ASKER, '127.0.0.1', 'mqtt');
    refused.sent(Buffer.from([0x10, 0x00]));
    refused.closed();
    hub.setRecording(ASKER, false);
    const quiet = hub.trackOutbound(ASKER, '127.0.0.1', 'h2c');
    quiet.connected({ address: '127.0.0.1', port: 1 }, { address: '127.0.0.1', port: 2 });
    quiet.sent(Buffer.from('PRI * HTTP/2.0'));
    await flush();
    expect(asker.map((m) => (m.type === 'connection' ? m.conn.id : m.type))).toEqual([quiet.id]);
  });
});
