import { describe, expect, it } from 'vitest';
import { findMethod } from './method-catalog.ts';
import { isForCall, runnerCallId, startCommand } from './runner-commands.ts';

const method = findMethod('wirelab.users.v1.UserService/GetUser')!;

describe('the cell’s commands to the gRPC runner', () => {
  it('names a call by the cell (only the characters the runner accepts, at most 40) and its count', () => {
    expect(runnerCallId('lesson 15/cell:2', 3)).toBe('lesson_15_cell_2-3');
    expect(runnerCallId('x'.repeat(60), 1)).toBe(`${'x'.repeat(40)}-1`);
  });

  it('starts a one-request call half-closed with its request, a stream empty and open; a deadline only when set', () => {
    const prepared = { ok: true as const, method, request: { id: '7' }, metadata: { 'x-a': '1' } };
    expect(startCommand(prepared, 'c-1', true)).toEqual({
      type: 'start',
      call: 'c-1',
      method: 'wirelab.users.v1.UserService/GetUser',
      metadata: { 'x-a': '1' },
      messages: [{ id: '7' }],
      end: true,
    });
    expect(startCommand({ ...prepared, timeoutMs: 500 }, 'c-2', false)).toMatchObject({ messages: [], end: false, timeoutMs: 500 });
  });

  it('takes the answers of its own call and the channel’s errors, not another call’s nor the hello', () => {
    expect(isForCall({ type: 'started', call: 'c-1', t: 0 }, 'c-1')).toBe(true);
    expect(isForCall({ type: 'started', call: 'c-0', t: 0 }, 'c-1')).toBe(false);
    expect(isForCall({ type: 'hello', target: '', limits: {} as never, services: [] }, 'c-1')).toBe(false);
    const error = (call?: string) => ({ type: 'error', reason: 'bad-json', message: { en: '', ru: '' }, ...(call ? { call } : {}) }) as never;
    expect(isForCall(error(), 'c-1')).toBe(true);
    expect(isForCall(error('c-1'), 'c-1')).toBe(true);
    expect(isForCall(error('c-0'), 'c-1')).toBe(false);
  });
});
