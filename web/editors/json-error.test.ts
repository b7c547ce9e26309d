import { describe, expect, it } from 'vitest';
import { describeJsonError, describeProtobufJsonError } from './json-error.ts';

function parseError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} parsed`);
}

describe('describeJsonError', () => {
  const broken = ['{', '{x: 1}', '{"a": 1 "b": 2}', '[1 2]', '{"a" 1}', '"abc', '{"a": "line\nbreak"}', '{} x', '-', "{'a': 1}", ''];

  it('says every parser complaint in Russian without a word of the English original', () => {
    for (const text of broken) {
      const ru = describeJsonError(parseError(text), 'ru', text);
      expect(ru.replace(/JSON/g, ''), text).not.toMatch(/[A-Za-z]{3,}/);
      expect(ru, text).not.toBe('синтаксическая ошибка');
    }
  });

  it('names the line and column where the parser stopped', () => {
    const text = '{\n  "a": 1\n  "b": 2\n}';
    expect(describeJsonError(parseError(text), 'en', text)).toBe('line 3, column 3: “,” or “}” was expected after a property value');
    expect(describeJsonError(parseError(text), 'ru', text)).toBe('строка 3, столбец 3: после значения свойства ожидалась «,» или «}»');
  });

  it('falls back to a plain "syntax error" for a message it does not know', () => {
    expect(describeJsonError('something new', 'ru')).toBe('синтаксическая ошибка');
  });

  it("says protobuf-es's complaints about a message's JSON in Russian, names kept", () => {
    expect(describeProtobufJsonError('cannot decode message wirelab.users.v1.GetUserRequest from JSON: key "nope" is unknown', 'ru')).toBe(
      'сообщение wirelab.users.v1.GetUserRequest: в нём нет поля «nope»',
    );
    expect(describeProtobufJsonError('cannot decode field wirelab.users.v1.GetUserRequest.id from JSON: expected number (uint32), got "abc"', 'ru')).toBe(
      'поле wirelab.users.v1.GetUserRequest.id: ожидалось number (uint32), а пришло "abc"',
    );
    expect(
      describeProtobufJsonError("cannot decode message wirelab.users.v1.GetUserRequest from JSON: Expected property name or '}' in JSON at position 1", 'ru'),
    ).toBe('сообщение wirelab.users.v1.GetUserRequest: ожидалось имя свойства в двойных кавычках (или «}»)');
  });
});
