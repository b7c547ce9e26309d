import { describe, expect, it } from 'vitest';
import type { FastifyBaseLogger } from 'fastify';
import { BadFrameLog } from './bad-frame-log.ts';

function recordingLog() {
  const lines: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => lines.push({ level, fields, message });
  const log = { warn: at('warn'), error: at('error'), info: at('info') } as unknown as FastifyBaseLogger;
  return { log, lines };
}

describe('BadFrameLog', () => {
  it('logs the first bad frame of a connection, counts the rest, and sums them up per address', () => {
    const { log, lines } = recordingLog();
    const badFrames = new BadFrameLog(log, '/graphql');
    const first = badFrames.connection('10.0.0.7');
    const second = badFrames.connection('10.0.0.7');
    for (let i = 0; i < 5; i++) first('4400 not JSON');
    second('4400 not JSON');
    second('4400 not JSON');
    expect(lines.map((l) => l.message)).toEqual(['bad frame on /graphql from 10.0.0.7: 4400 not JSON', 'bad frame on /graphql from 10.0.0.7: 4400 not JSON']);
    badFrames.flush();
    expect(lines.at(-1)).toEqual({
      level: 'warn',
      fields: { endpoint: '/graphql', remote: '10.0.0.7', count: 5 },
      message: '5 more bad frames from 10.0.0.7 on /graphql in the last minute',
    });
    expect(lines.every((l) => l.level === 'warn' && !('err' in l.fields))).toBe(true);
    badFrames.flush();
    expect(lines).toHaveLength(3); // nothing new, nothing written
  });
});
