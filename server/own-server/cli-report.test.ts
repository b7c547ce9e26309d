import { describe, expect, it } from 'vitest';
import type { CheckReport, CheckResult } from '../../contracts/own-server/check-result.ts';
import { formatReport, replayCommand } from './cli-report.ts';

const handshake = [
  'GET /ws/echo HTTP/1.1',
  'Host: 127.0.0.1:8000',
  'Upgrade: websocket',
  'Connection: Upgrade',
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
  'Sec-WebSocket-Version: 13',
].join('\n');

const failed = (sent: string): CheckResult => ({
  id: 'echo-text',
  name: { en: 'echoes a text frame', ru: 'возвращает текстовый кадр' },
  outcome: 'fail',
  sent,
  expected: { en: 'the same text', ru: 'тот же текст' },
  why: { clause: 'RFC 6455 §5.6', text: { en: 'text frames', ru: 'текстовые кадры' } },
  got: '',
  difference: { en: 'no answer', ru: 'нет ответа' },
});

describe('the replay of a WebSocket check', () => {
  const result = failed(`${handshake}\n\n→ text "hello" (81 85 37 fa 21 3d 7f 9f 4d 51 48)`);

  it('sends the handshake alone, as a GET: the frames after it were sent as a body, a POST the server answered 400', () => {
    const command = replayCommand(result, '127.0.0.1:8000');
    expect(command).toContain("-H 'Upgrade: websocket'");
    expect(command).toContain("'http://127.0.0.1:8000/ws/echo'");
    expect(command).not.toContain('--data');
    expect(command).not.toContain('-X ');
    expect(command).toContain('--max-time 5');
  });

  it('says under it, in both languages, that the frames need a WebSocket client', () => {
    const report = { protocol: 'websocket', target: '127.0.0.1:8000', reachable: true, results: [result] } as unknown as CheckReport;
    expect(formatReport(report, 'en')).toContain(
      '      curl sends the handshake only; the frames after it need a WebSocket client (the check sent them: --json shows them)',
    );
    expect(formatReport(report, 'ru').join('\n')).toContain('curl повторяет только рукопожатие; кадры после него отправит лишь WebSocket-клиент');
  });

  it('an HTTP request keeps its body', () => {
    const command = replayCommand(failed('POST /graphql HTTP/1.1\nHost: x\nContent-Type: application/json\n\n{"query":"{ a }"}'), '127.0.0.1:8000');
    expect(command).toContain(`--data-raw '{"query":"{ a }"}'`);
  });
});
