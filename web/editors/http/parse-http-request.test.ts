import { describe, expect, it } from 'vitest';
import { parseHttpRequest, type HttpParseError } from './parse-http-request.ts';
import { httpEditorStrings } from './strings.ts';

const errorOf = (text: string): HttpParseError => {
  const result = parseHttpRequest(text);
  if (result.ok) throw new Error(`expected an error for ${JSON.stringify(text)}`);
  return result.error;
};

describe('parseHttpRequest', () => {
  it('reads request line, headers and body', () => {
    const result = parseHttpRequest('POST /api/v1/users HTTP/1.1\nContent-Type: application/json\nAccept:  */* \n\n{ "name": "Ada" }\n\n');
    expect(result).toEqual({
      ok: true,
      request: {
        method: 'POST',
        target: '/api/v1/users',
        version: 'HTTP/1.1',
        headers: [
          { name: 'Content-Type', value: 'application/json', line: 2 },
          { name: 'Accept', value: '*/*', line: 3 },
        ],
        body: '{ "name": "Ada" }',
        requestLine: 1,
        bodyLine: 5,
      },
    });
  });

  it('skips comments and blank lines before the request, and comments among headers', () => {
    const result = parseHttpRequest('# Read one user\n\n### GET\nGET http://localhost:8080/api/v1/users/1\n# why: caching\nAccept: application/json\n');
    expect(result).toMatchObject({
      ok: true,
      request: { method: 'GET', target: 'http://localhost:8080/api/v1/users/1', version: null, body: null, requestLine: 4, bodyLine: null },
    });
    expect(result.ok && result.request.headers).toEqual([{ name: 'Accept', value: 'application/json', line: 6 }]);
  });

  it('keeps # lines inside the body and multi-line bodies as typed', () => {
    const result = parseHttpRequest('POST /x\r\nContent-Type: text/plain\r\n\r\n# not a comment\r\n  indented\r\n');
    expect(result.ok && result.request.body).toBe('# not a comment\n  indented');
  });

  it.each([
    ['', 'empty', 1],
    ['# only a comment\n', 'empty', 1],
    ['\n/api/v1/users', 'missing-target', 2],
    ['GET /a b HTTP/1.1', 'space-in-target', 1],
    ['GET /users/Ada Lovelace', 'space-in-target', 1],
    ['GE(T /a', 'bad-method', 1],
    ['GET api/v1/users', 'bad-target', 1],
    ['GET /a HTTP/one', 'bad-version', 1],
    ['GET /a\nAccept application/json', 'header-without-colon', 2],
    ['GET /a\nAccept: x\nX Y: z', 'bad-header-name', 3],
    ['GET /a\nAccept: x\n  continued', 'folded-header', 3],
  ])('%j fails with %s on line %i', (text, code, line) => {
    expect(errorOf(text)).toMatchObject({ code, line });
  });

  it('explains errors with the line number in both languages', () => {
    const error = errorOf('GET /a\nContent-Type application/json');
    expect(httpEditorStrings.en.parseError(error)).toBe(
      'Line 2: “Content-Type application/json” is not a header: a header is “Name: value”. Separate the body from the headers with an empty line',
    );
    expect(httpEditorStrings.ru.parseError(error)).toBe(
      'Строка 2: «Content-Type application/json» — не заголовок: заголовок пишется как «Имя: значение». Тело отделяется от заголовков пустой строкой',
    );
  });
});
