import { describe, expect, it } from 'vitest';
import { parseClientMessage, parseRunnerMessage, RunnerProtocolError } from './messages.ts';

function reasonOf(raw: string): string {
  try {
    parseClientMessage(raw, 300_000);
  } catch (error) {
    if (error instanceof RunnerProtocolError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('parseClientMessage', () => {
  it('reads a start with lower-cased metadata, a deadline, messages and end', () => {
    const message = parseClientMessage(
      JSON.stringify({ type: 'start', call: 'c-1', method: 'a.B/C', metadata: { 'X-Echo-Lang': 'ru' }, timeoutMs: 500, messages: [{ id: 1 }], end: true }),
      300_000,
    );
    expect(message).toEqual({
      type: 'start',
      call: 'c-1',
      method: 'a.B/C',
      metadata: { 'x-echo-lang': 'ru' },
      timeoutMs: 500,
      messages: [{ id: 1 }],
      end: true,
    });
  });

  it('reads send, end and cancel', () => {
    expect(parseClientMessage('{"type":"send","call":"c","message":{"text":"hi"}}', 1)).toEqual({ type: 'send', call: 'c', message: { text: 'hi' } });
    expect(parseClientMessage('{"type":"end","call":"c"}', 1)).toEqual({ type: 'end', call: 'c' });
    expect(parseClientMessage('{"type":"cancel","call":"c"}', 1)).toEqual({ type: 'cancel', call: 'c' });
  });

  it('names what is wrong', () => {
    expect(reasonOf('{')).toBe('bad-json');
    expect(reasonOf('[1]')).toBe('bad-json');
    expect(reasonOf('{"type":"start","call":"has space","method":"a.B/C"}')).toBe('bad-message');
    expect(reasonOf('{"type":"start","call":"c"}')).toBe('bad-message');
    expect(reasonOf('{"type":"start","call":"c","method":"a.B/C","timeoutMs":300001}')).toBe('bad-message');
    expect(reasonOf('{"type":"start","call":"c","method":"a.B/C","metadata":{"bad name":"x"}}')).toBe('bad-message');
    expect(reasonOf('{"type":"start","call":"c","method":"a.B/C","metadata":{"x":"a\\r\\nb"}}')).toBe('bad-message');
    expect(reasonOf('{"type":"start","call":"c","method":"a.B/C","metadata":{"Cookie":"x"}}')).toBe('reserved-header');
    expect(reasonOf('{"type":"start","call":"c","method":"a.B/C","metadata":{"grpc-timeout":"1S"}}')).toBe('reserved-header');
    expect(reasonOf('{"type":"send","call":"c"}')).toBe('bad-message');
    expect(reasonOf('{"type":"dance","call":"c"}')).toBe('bad-message');
  });

  it('gives every error in Russian and English', () => {
    try {
      parseClientMessage('{"type":"start","call":"c","method":"a.B/C","metadata":{"host":"x"}}', 1);
    } catch (error) {
      const { message } = (error as RunnerProtocolError).toMessage();
      expect(message.en).toContain('host');
      expect(message.ru).toMatch(/[а-я]/);
      return;
    }
    throw new Error('accepted a reserved header');
  });
});

describe('parseRunnerMessage (the browser reading the server)', () => {
  it('takes the messages it knows and nothing else', () => {
    expect(parseRunnerMessage('{"type":"started","call":"c1","t":1}')).toEqual({ type: 'started', call: 'c1', t: 1 });
    expect(parseRunnerMessage('{"type":"error","reason":"bad-json","message":{"en":"a","ru":"б"}}')).toMatchObject({ type: 'error', reason: 'bad-json' });
    expect(parseRunnerMessage('{"type":"started","call":"c1"}')).toBeNull();
    expect(parseRunnerMessage('{"type":"error","reason":"x","message":"text"}')).toBeNull();
    expect(parseRunnerMessage('{"type":"surprise","call":"c1","t":1}')).toBeNull();
    expect(parseRunnerMessage('[1]')).toBeNull();
    expect(parseRunnerMessage('{')).toBeNull();
  });
});
