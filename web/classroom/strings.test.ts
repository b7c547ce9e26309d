import { describe, expect, it } from 'vitest';
import { russianPlural } from '../text/russian-plural.ts';
import { classroomStrings } from './strings.ts';

describe('classroom strings', () => {
  it('have the same keys and error codes in both languages', () => {
    expect(Object.keys(classroomStrings.ru).sort()).toEqual(Object.keys(classroomStrings.en).sort());
    expect(Object.keys(classroomStrings.ru.errors).sort()).toEqual(Object.keys(classroomStrings.en.errors).sort());
  });

  it('say the server is restarting, apart from a broken channel (the class bar, after close 1001)', () => {
    expect(classroomStrings.en.serverRestarting).toBe('the server stopped or is restarting; reconnecting…');
    expect(classroomStrings.ru.serverRestarting).toBe('сервер остановлен или перезапускается; переподключаемся…');
    expect(classroomStrings.en.serverRestarting).not.toBe(classroomStrings.en.channelDown);
  });

  it('count in Russian as people do (the one plural of web/text/)', () => {
    expect([1, 2, 5, 11, 21, 22, 25, 112].map((n) => russianPlural(n, 'попытка', 'попытки', 'попыток'))).toEqual([
      'попытка',
      'попытки',
      'попыток',
      'попыток',
      'попытка',
      'попытки',
      'попыток',
      'попыток',
    ]);
    expect(classroomStrings.ru.members(3)).toBe('3 студента');
  });
});
