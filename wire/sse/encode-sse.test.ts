import { describe, expect, it } from 'vitest';
import { formatComment, formatEvent, formatRetry } from './encode-sse.ts';

describe('the text/event-stream format', () => {
  it('writes id, event and data lines and ends the event with an empty line', () => {
    expect(formatEvent({ id: 42, event: 'user.created', data: '{"id":13}' })).toBe('id: 42\nevent: user.created\ndata: {"id":13}\n\n');
  });

  it('splits data on every kind of line break into several data lines', () => {
    expect(formatEvent({ data: 'one\ntwo\r\nthree\rfour' })).toBe('data: one\ndata: two\ndata: three\ndata: four\n\n');
  });

  it('keeps id and event on one line, so a value cannot inject fields', () => {
    expect(formatEvent({ id: '1\nevent: evil', event: 'a\r\nb', data: 'x' })).toBe('id: 1 event: evil\nevent: a  b\ndata: x\n\n');
  });

  it('writes comments and retry', () => {
    expect(formatComment('keep-alive')).toBe(': keep-alive\n\n');
    expect(formatComment('a\nb')).toBe(': a\n: b\n\n');
    expect(formatRetry(3000)).toBe('retry: 3000\n\n');
    expect(formatEvent({ event: 'server.shutdown', data: '{}', retry: 5000 })).toBe('event: server.shutdown\nretry: 5000\ndata: {}\n\n');
  });
});
