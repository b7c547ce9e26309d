import { describe, expect, it } from 'vitest';
import { problemTextIn, serverTextIn } from './server-text.ts';

describe('server texts in the reader\'s language', () => {
  it('translates the domain\'s and ajv\'s phrases, field names kept', () => {
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

  it('prefers the server\'s own translation (localized) when it sent one', () => {
    expect(problemTextIn(JSON.stringify({ detail: 'Too many', localized: { en: 'Too many', ru: 'Слишком много' } }), 'ru')).toEqual(['Слишком много']);
  });
});
