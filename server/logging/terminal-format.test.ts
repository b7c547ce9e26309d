import { describe, expect, it } from 'vitest';
import { formatLogRecord } from './terminal-format.ts';

const plain = { color: false, stacks: false };
const at = (hours: number, minutes: number, seconds: number) => new Date(2026, 10, 24, hours, minutes, seconds).getTime();

describe('a log record as a line a teacher reads', () => {
  it('shows the time and the message, without pino’s bookkeeping', () => {
    const line = formatLogRecord({ level: 30, time: at(9, 5, 7), pid: 42, hostname: 'vm', msg: 'Wirelab is on http://127.0.0.1:8080/' }, plain);
    expect(line).toBe('09:05:07 Wirelab is on http://127.0.0.1:8080/\n');
  });

  it('names warnings and errors, and puts the details after the message as key=value', () => {
    expect(formatLogRecord({ level: 40, time: at(10, 0, 0), msg: 'bad frame', endpoint: '/ws/echo', remote: '10.0.0.5', count: 3 }, plain)).toBe(
      '10:00:00 WARN bad frame  endpoint=/ws/echo remote=10.0.0.5 count=3\n',
    );
    expect(
      formatLogRecord(
        { level: 50, time: at(10, 0, 1), msg: 'MQTT broker error', err: { type: 'Error', message: 'disk full', stack: 'Error: disk full\n    at x' } },
        plain,
      ),
    ).toBe('10:00:01 ERROR MQTT broker error: disk full\n');
  });

  it('quotes details with spaces and writes objects as JSON', () => {
    expect(formatLogRecord({ level: 30, time: at(8, 0, 0), msg: 'scaled out', instanceId: 'a b', keys: { prefix: 'wirelab:' } }, plain)).toBe(
      '08:00:00 scaled out  instanceId="a b" keys={"prefix":"wirelab:"}\n',
    );
  });

  it('says a request in one short line each way, paired by its id', () => {
    expect(
      formatLogRecord({ level: 30, time: at(8, 0, 0), reqId: 'req-7', req: { method: 'GET', url: '/api/v1/users' }, msg: 'incoming request' }, plain),
    ).toBe('08:00:00 → GET /api/v1/users  #req-7\n');
    expect(
      formatLogRecord({ level: 30, time: at(8, 0, 0), reqId: 'req-7', res: { statusCode: 404 }, responseTime: 3.4, msg: 'request completed' }, plain),
    ).toBe('08:00:00 ← 404 in 3 ms  #req-7\n');
  });

  it('adds the stack under an error when asked (LOG_LEVEL=debug), and the error alone when there is no message', () => {
    const err = { type: 'TypeError', message: 'x is undefined', stack: 'TypeError: x is undefined\n    at f (a.ts:1:1)' };
    expect(formatLogRecord({ level: 50, time: at(8, 0, 0), err }, { color: false, stacks: true })).toBe(
      '08:00:00 ERROR x is undefined\n    TypeError: x is undefined\n        at f (a.ts:1:1)\n',
    );
  });

  it('colours the level and the details only when asked', () => {
    const coloured = formatLogRecord({ level: 50, time: at(8, 0, 0), msg: 'failed', code: 7 }, { color: true, stacks: false });
    expect(coloured).toContain('\u001b[31mERROR ');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe('08:00:00 ERROR failed  code=7\n');
  });
});
