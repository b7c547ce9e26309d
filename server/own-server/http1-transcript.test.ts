// A chunked body in a transcript: each chunk's size line stays as it came, with a note before it.
import { describe, expect, it } from 'vitest';
import { localizeTranscript } from '../../contracts/own-server/transcript-notes.ts';
import { receivedHttp1 } from './http1-transcript.ts';

const event = 'data: {"hello":"world"}\n\n';
const chunked = Buffer.from(
  `HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n${event.length.toString(16)}\r\n${event}\r\n0\r\n\r\n`,
);

describe('the transcript of an HTTP/1.1 answer', () => {
  it('explains each chunk of a chunked body on a line of its own before its size line', () => {
    expect(receivedHttp1(chunked).split('\n')).toEqual([
      'HTTP/1.1 200 OK',
      'Content-Type: text/event-stream',
      'Transfer-Encoding: chunked',
      '',
      '┆ chunk of 25\u00a0bytes: its size line "19" is hexadecimal, CRLF ends its data',
      '19',
      'data: {"hello":"world"}',
      '',
      '',
      '┆ last chunk (size line "0"): the body ends here',
      '0',
      '',
      '',
    ]);
  });

  it('says the same in Russian, the bytes untouched', () => {
    const russian = localizeTranscript(receivedHttp1(chunked), 'ru').split('\n');
    expect(russian[4]).toBe('┆ фрагмент в 25\u00a0байт: «19» — его размер в шестнадцатеричной записи, CRLF завершает данные');
    expect(russian[9]).toBe('┆ последний фрагмент (строка размера «0»): тело ответа закончилось');
    expect(russian[5]).toBe('19');
  });

  it('notes the chunks that came of a stream still open', () => {
    const open = chunked.subarray(0, chunked.indexOf('0\r\n\r\n'));
    expect(receivedHttp1(open)).toContain('┆ chunk of 25\u00a0bytes');
    expect(receivedHttp1(open)).not.toContain('last chunk');
  });

  it('adds nothing to a body framed by Content-Length', () => {
    const plain = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi');
    expect(receivedHttp1(plain)).toBe('HTTP/1.1 200 OK\nContent-Length: 2\n\nhi');
  });
});
