import { describe, expect, it } from 'vitest';
import { parseAuthInput, parseEmitInput } from './emit-input.ts';

describe('the emit form', () => {
  it('sends an event with a JSON array of arguments, or none', () => {
    expect(parseEmitInput('chat:join', '["lobby"]')).toEqual({ ok: true, event: 'chat:join', args: ['lobby'] });
    expect(parseEmitInput('chat:message', ' [{"room":"lobby","text":"привет"}, 2] ')).toEqual({
      ok: true,
      event: 'chat:message',
      args: [{ room: 'lobby', text: 'привет' }, 2],
    });
    expect(parseEmitInput('ping-me', '')).toEqual({ ok: true, event: 'ping-me', args: [] });
  });

  it('refuses reserved or empty names, text that is not JSON, and JSON that is not a list', () => {
    expect(parseEmitInput('connect', '[]')).toMatchObject({ ok: false, error: { code: 'bad-event' } });
    expect(parseEmitInput('', '[]')).toMatchObject({ ok: false, error: { code: 'bad-event' } });
    expect(parseEmitInput('x', '["a"')).toMatchObject({ ok: false, error: { code: 'args-not-json' } });
    expect(parseEmitInput('x', '{"a":1}')).toEqual({ ok: false, error: { code: 'args-not-array' } });
  });

  it('takes auth as a JSON object, empty meaning {}', () => {
    expect(parseAuthInput('{"name":"student"}')).toEqual({ ok: true, auth: { name: 'student' } });
    expect(parseAuthInput('  ')).toEqual({ ok: true, auth: {} });
    expect(parseAuthInput('["student"]')).toEqual({ ok: false, message: 'not-object' });
    expect(parseAuthInput('{name}')).toMatchObject({ ok: false });
  });
});
