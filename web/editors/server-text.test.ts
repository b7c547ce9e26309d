import { buildSchema, GraphQLError, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { problemTextIn, serverTextIn } from './server-text.ts';

describe("server texts in the reader's language", () => {
  it("translates the domain's and ajv's phrases, field names kept", () => {
    expect(serverTextIn('user 999 does not exist', 'ru')).toBe('пользователь 999 не существует');
    expect(serverTextIn('user 7 does not exist in this sandbox', 'ru')).toBe('пользователь 7 не существует в этой песочнице');
    expect(serverTextIn('name: must NOT have fewer than 1 characters; email: must match format "email"', 'ru')).toBe(
      'name: должно быть не короче 1 символа; email: должно быть в формате «email»',
    );
    expect(serverTextIn('user 999 does not exist', 'en')).toBeNull();
    expect(serverTextIn('something else entirely', 'ru')).toBeNull();
  });

  it('reads a 422 problem body: detail and each error', () => {
    const body = JSON.stringify({
      type: 'https://wirelab.dev/problems/validation',
      status: 422,
      detail: 'Some fields are invalid: see errors.',
      errors: [{ field: 'name', message: 'must NOT have fewer than 1 characters' }],
    });
    expect(problemTextIn(body, 'ru')).toEqual(['некоторые поля заполнены неверно: см. errors', 'name: должно быть не короче 1 символа']);
    for (const line of problemTextIn(body, 'ru')) expect(line.replace(/\berrors\b|\bname\b/g, '')).not.toMatch(/[A-Za-z]{3,}/);
  });

  it("prefers the server's own translation (localized) when it sent one", () => {
    expect(problemTextIn(JSON.stringify({ detail: 'Too many', localized: { en: 'Too many', ru: 'Слишком много' } }), 'ru')).toEqual(['Слишком много']);
  });

  it("says graphql-js's own parse and validation errors in Russian (messages from the library itself)", () => {
    const schema = buildSchema(
      'type User { id: ID! name: String! posts: [Post!]! } type Post { title: String! } type Query { user(id: ID!): User users: [User!]! }',
    );
    const messageOf = (document: string): string => {
      try {
        return validate(schema, parse(document))[0]?.message ?? 'valid';
      } catch (error) {
        return (error as GraphQLError).message;
      }
    };
    const documents = [
      '{ user(id: 1) { nme } }',
      '{ user(id: 1) }',
      '{ user(id: 1) { id { x } } }',
      '{ user(id: 1, limit: 2) { id } }',
      '{ user { id } }',
      '{ user(id: 1) { id ',
      '{ user(id: 1) { id } } }',
      '{ user(id: "1) { id } }',
      'query Q($id: ID!, $unused: Int) { user(id: $id) { id } }',
      'query Q($id: Uzer) { users { id } }',
    ];
    for (const document of documents) {
      const message = messageOf(document);
      const russian = serverTextIn(message, 'ru');
      expect(russian, `${document} → ${message}`).not.toBeNull();
      // names in quotes stay as the schema has them; no English sentence is left
      expect(russian!.replace(/"[^"]*"/g, ''), message).not.toMatch(
        /\b(Expected|found|Cannot|Unknown|must|Did you mean|argument|Syntax|Variable|Unexpected|Unterminated)\b/,
      );
    }
    expect(serverTextIn(messageOf('{ user(id: 1) { nme } }'), 'ru')).toBe('В типе "User" нет поля "nme". Может быть, имелось в виду "name"?');
  });
});
