import { describe, expect, it } from 'vitest';
import { ClassWriteFreeze } from './class-write-freeze.ts';

describe('freezing a class’s writes', () => {
  it('refuses the sandboxes of a frozen class’s students online here, and only while it is frozen', () => {
    const students: Record<string, Array<string | null>> = { AAAAAA: ['anna', null], BBBBBB: ['boris'] };
    const freeze = new ClassWriteFreeze((code) => students[code] ?? []);
    expect(freeze.guard('anna')).toBeNull();
    freeze.note('AAAAAA', { frozenMs: 1000 });
    expect(freeze.guard('anna')?.ru).toContain('заморозил');
    expect(freeze.guard('anna')?.en).toContain('frozen');
    expect(freeze.guard('boris')).toBeNull();
    expect(freeze.guard('teacher')).toBeNull();
    // a student who closes the page is no longer reached
    students.AAAAAA = [];
    expect(freeze.guard('anna')).toBeNull();
    students.AAAAAA = ['anna'];
    freeze.note('AAAAAA', { frozenMs: null });
    expect(freeze.guard('anna')).toBeNull();
    freeze.note('BBBBBB', { frozenMs: 5 });
    freeze.forget('BBBBBB');
    expect(freeze.guard('boris')).toBeNull();
  });
});
