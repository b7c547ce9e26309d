import { describe, expect, it } from 'vitest';
import { classEventLine } from './class-log.ts';
import { SqliteClassroomStore } from './stores/sqlite-classroom-store.ts';
import { TeacherControls, type ControlEffects } from './controls/teacher-controls.ts';

describe('the class events in the log', () => {
  it('says each in one line, the code as the board shows it', () => {
    expect(classEventLine({ kind: 'class-created', code: 'K7FM3Q', title: 'Seminar 3' })).toEqual({
      fields: { class: 'K7F-M3Q', title: 'Seminar 3' },
      message: 'class K7F-M3Q created',
    });
    expect(classEventLine({ kind: 'joined', code: 'K7FM3Q', name: 'Анна', rejoined: false }).message).toBe('class K7F-M3Q: Анна joined');
    expect(classEventLine({ kind: 'joined', code: 'K7FM3Q', name: 'Анна', rejoined: true }).message).toBe(
      'class K7F-M3Q: Анна joined again from another browser',
    );
    expect(classEventLine({ kind: 'class-deleted', code: 'K7FM3Q', members: 1 }).message).toBe('class K7F-M3Q deleted by the teacher, with 1 student');
    expect(classEventLine({ kind: 'leading', code: 'K7FM3Q' }).message).toBe('class K7F-M3Q: the teacher leads');
    expect(classEventLine({ kind: 'ended', code: 'K7FM3Q' }).message).toBe('class K7F-M3Q ended by the teacher: no more joins or results');
    expect(classEventLine({ kind: 'reopened', code: 'K7FM3Q' }).message).toBe('class K7F-M3Q reopened by the teacher');
    expect(classEventLine({ kind: 'notice', code: 'K7FM3Q', text: 'Exercise 3' }).message).toBe("class K7F-M3Q: the teacher's message: Exercise 3");
    expect(classEventLine({ kind: 'timer', code: 'K7FM3Q', minutes: 10 }).message).toBe('class K7F-M3Q: the teacher started a 10-minute timer');
    expect(classEventLine({ kind: 'timer', code: 'K7FM3Q', minutes: null }).message).toBe('class K7F-M3Q: the teacher stopped the timer');
    expect(classEventLine({ kind: 'data-reset', code: 'K7FM3Q', sandboxes: 3 }).message).toBe(
      'class K7F-M3Q: the teacher reset the data of the students online (3 here)',
    );
  });

  it('has a line for each of the teacher’s controls, naming the student as the board did', async () => {
    const store = new SqliteClassroomStore(':memory:');
    const lines: string[] = [];
    const effects: ControlEffects = {
      memberOut: () => {},
      memberRenamed: () => {},
      classChanged: () => {},
      classListChanged: async () => {},
      classDeleted: () => {},
    };
    const controls = new TeacherControls(store, effects, { info: (_fields: unknown, message?: string) => void lines.push(message ?? '') } as never);
    const { code } = store.createClass('Seminar')!;
    const anna = store.join(code, 'Anna', null);
    store.join(code, 'Boris', null);
    if (!anna.ok) throw new Error(anna.error);
    const shown = `${code.slice(0, 3)}-${code.slice(3)}`;

    await controls.rename(code, anna.member.id, 'Anna K.');
    await controls.remove(code, anna.member.id);
    await controls.remove(code, anna.member.id); // refused: no line
    await controls.deleteClass(code);
    expect(lines).toEqual([
      `class ${shown}: the teacher renamed Anna to Anna K.`,
      `class ${shown}: the teacher removed Anna K.`,
      `class ${shown} deleted by the teacher, with 1 student`,
    ]);
    store.close();
  });
});
