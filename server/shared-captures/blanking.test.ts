import { afterAll, describe, expect, it } from 'vitest';
import { capturesToPcapng } from '../../wire/pcapng/export-pcapng.ts';
import { assembleConnection } from '../../wire/stream-assembler.ts';
import type { CaptureChunk, CapturedConnection } from '../../wire/types.ts';
import { blankCapture } from './blank-capture.ts';
import { blankerOf, BlankingThread, type BlankerSettings } from './blanking.ts';

const SETTINGS: BlankerSettings = {
  session: 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcdef',
  secrets: ['teacher-key-0123456789'],
  shownHeaderValues: ['Bearer wirelab-teacher'],
};

function pcapngOf(id: string, request: string): Uint8Array<ArrayBuffer> {
  const connection: CapturedConnection = { id, transport: 'http/1.1', remote: '127.0.0.1:50000', local: '127.0.0.1:8080', openedAt: 1000, closedAt: 1002 };
  const chunks: CaptureChunk[] = [{ conn: id, seq: 1, dir: 'in', t: 1000.5, offset: 0, data: new TextEncoder().encode(request) }];
  return capturesToPcapng([{ connection, streams: assembleConnection(id, chunks, true) }]);
}

const thread = new BlankingThread();
afterAll(() => thread.close());

describe('BlankingThread', () => {
  it('blanks in its worker exactly as blankCapture does here, one job after another, leaving the caller its file', async () => {
    const requests = [
      `GET /a HTTP/1.1\r\nCookie: wirelab_session=${SETTINGS.session}\r\nAuthorization: Bearer wirelab-teacher\r\n\r\n`,
      `POST /b HTTP/1.1\r\nx-wirelab-teacher-key: ${SETTINGS.secrets[0]}\r\nContent-Length: 2\r\n\r\n{}`,
    ];
    const files = requests.map((request, index) => pcapngOf(`c${index}`, request));
    const results = await Promise.all(files.map((file) => thread.blank({ file, settings: SETTINGS })));
    for (const [index, file] of files.entries()) {
      expect(file.byteLength).toBeGreaterThan(0); // a copy went to the worker
      const here = blankCapture(file, blankerOf(SETTINGS));
      if (!here.ok || !results[index]?.ok) throw new Error('not blanked');
      expect(Buffer.from(results[index].pcapng).equals(Buffer.from(here.pcapng))).toBe(true);
      expect(Buffer.from(here.pcapng).toString('latin1')).not.toContain(SETTINGS.session.slice(0, 8));
    }
    expect(await thread.blank({ file: new TextEncoder().encode('hello'), settings: SETTINGS })).toMatchObject({
      ok: false,
      problem: { code: 'unknown-format' },
    });
  });

  it('starts a worker again after it was closed', async () => {
    await thread.close();
    expect(await thread.blank({ file: pcapngOf('c9', 'GET / HTTP/1.1\r\n\r\n'), settings: SETTINGS })).toMatchObject({ ok: true, connections: 1 });
  });
});
