import { describe, expect, it } from 'vitest';
import { DEFAULT_SOCKET_IO_LIMITS as limits } from './limits.ts';
import { chatMessageFrom, nameFromAuth, roomFrom, typingFrom } from './payloads.ts';

describe('nameFromAuth', () => {
  it('takes a trimmed name', () => {
    expect(nameFromAuth({ name: '  Ада  ' }, limits)).toBe('Ада');
  });

  it.each([[undefined], [null], [{}], [{ name: '' }], [{ name: '   ' }], [{ name: 42 }], [['student']], [{ name: 'a\u0000b' }], [{ name: 'x'.repeat(41) }]])(
    'refuses %j',
    (auth) => {
      expect(nameFromAuth(auth, limits)).toBeNull();
    },
  );

  it('counts characters, not UTF-16 units', () => {
    expect(nameFromAuth({ name: '😀'.repeat(40) }, limits)).toBe('😀'.repeat(40));
  });
});

describe('roomFrom', () => {
  it.each(['lobby', 'лобби', 'room 2', 'a.b_c-d', 'x'.repeat(40)])('accepts %j', (room) => {
    expect(roomFrom(room, limits)).toBe(room);
  });

  it.each(['', ' lobby', 'lobby ', 'two  spaces', 'a/b', 'x'.repeat(41), 7, null, ['lobby']])('refuses %j', (room) => {
    expect(roomFrom(room, limits)).toBeNull();
  });
});

describe('chatMessageFrom', () => {
  it('accepts a room and a text', () => {
    expect(chatMessageFrom({ room: 'lobby', text: 'hi' }, limits)).toEqual({ ok: true, value: { room: 'lobby', text: 'hi' } });
  });

  it('says which part is wrong', () => {
    expect(chatMessageFrom({ room: '', text: 'hi' }, limits)).toEqual({ ok: false, problem: 'room' });
    expect(chatMessageFrom({ room: 'lobby', text: '   ' }, limits)).toEqual({ ok: false, problem: 'payload' });
    expect(chatMessageFrom({ room: 'lobby', text: 'x'.repeat(501) }, limits)).toEqual({ ok: false, problem: 'payload' });
    expect(chatMessageFrom('hi', limits)).toEqual({ ok: false, problem: 'payload' });
  });

  it('takes exactly the limit', () => {
    expect(chatMessageFrom({ room: 'lobby', text: 'я'.repeat(500) }, limits).ok).toBe(true);
  });
});

describe('typingFrom', () => {
  it('needs a boolean typing flag', () => {
    expect(typingFrom({ room: 'lobby', typing: true }, limits)).toEqual({ ok: true, value: { room: 'lobby', typing: true } });
    expect(typingFrom({ room: 'lobby', typing: 'yes' }, limits)).toEqual({ ok: false, problem: 'payload' });
    expect(typingFrom({ room: '!', typing: false }, limits)).toEqual({ ok: false, problem: 'room' });
  });
});
