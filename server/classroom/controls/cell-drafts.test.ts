import { describe, expect, it } from 'vitest';
import { CELL_DRAFT_MAX } from '../../../contracts/class-channel/messages.ts';
import { blankSecretsInValue, cellDraftOf, pushCell, type CellPushDeps } from './cell-drafts.ts';
import { SecretBook } from '../blanking/secret-scanner.ts';

const SESSION = 'teacherSession_0123456789abcdefghij';
const KEY = 'the-teacher-key-42';
const CURL = `curl.${'A1b2C3d4'.repeat(8)}`;
const lessons = { hasCell: (lesson: string, cell: string) => lesson === 'rest' && cell === 'create-user' };

describe('the teacher’s cell on its way to the students', () => {
  it('blanks every secret of the teacher’s session in every string, lengths kept, as the relay does', () => {
    const text = `GET /api/v1/users\nx-wirelab-sandbox: ${CURL}\nCookie: wirelab_session=${SESSION}\nAuthorization: Bearer hunter2\n\n{"note":"${SESSION}","key":"${KEY}","session":"abcdef123"}`;
    const blanked = blankSecretsInValue({ url: `ws://host/?s=${SESSION}`, message: text, count: 3, nested: [KEY] }, new SecretBook([SESSION, KEY])) as {
      url: string;
      message: string;
      count: number;
      nested: string[];
    };
    const all = JSON.stringify(blanked);
    for (const secret of [SESSION, KEY, CURL.slice(5), 'hunter2', 'abcdef123']) expect(all).not.toContain(secret);
    expect(blanked.message).toHaveLength(text.length);
    expect(blanked.message.startsWith('GET /api/v1/users\nx-wirelab-sandbox: ')).toBe(true);
    expect(blanked.count).toBe(3);
    expect(blanked.url).toBe(`ws://host/?s=${'*'.repeat(SESSION.length)}`);
  });

  it('takes only a real cell and a JSON value of bounded size and depth', () => {
    const book = new SecretBook([SESSION]);
    expect(cellDraftOf({ lesson: 'rest', cell: 'create-user', value: 'POST /x' }, lessons, book, 7)).toEqual({
      ok: true,
      draft: { lesson: 'rest', cell: 'create-user', value: 'POST /x', sentMs: 7 },
    });
    for (const bad of [
      { lesson: 'rest', cell: 'nope', value: 'x' },
      { lesson: '../rest', cell: 'create-user', value: 'x' },
      { lesson: 'rest', cell: 'create-user' },
      { lesson: 'rest', cell: 'create-user', value: 'x'.repeat(CELL_DRAFT_MAX) },
      { lesson: 'rest', cell: 'create-user', value: [[[[[[[[[[['deep']]]]]]]]]]] },
    ]) {
      expect(cellDraftOf(bad, lessons, book)).toEqual({ ok: false, error: 'BAD_CELL' });
    }
  });
});

describe('pushing the leading tab’s cell', () => {
  function deps(relay: { session: string | null; secretBook: SecretBook } | null) {
    const delivered: unknown[] = [];
    const recorded: unknown[] = [];
    const value: CellPushDeps = {
      lessons,
      teacherKey: KEY,
      relayOf: () => relay,
      deliver: (code, draft) => void delivered.push({ code, draft }),
      history: { record: async (code, action) => void recorded.push({ code, action }) },
      log: { info: () => {} },
    };
    return { value, delivered, recorded };
  }

  it('blanks what the relay learned in the same session, delivers, records; answers the tab', async () => {
    const learned = new SecretBook([SESSION, KEY]);
    learned.learn('memberTokenOfTheTeacher');
    const { value, delivered, recorded } = deps({ session: SESSION, secretBook: learned });
    const answer = await pushCell(value, 'ABCDEF', SESSION, { lesson: 'rest', cell: 'create-user', value: 'x-wirelab-member-copy memberTokenOfTheTeacher' });
    expect(answer).toEqual({ type: 'cell-sent', lesson: 'rest', cell: 'create-user' });
    expect(JSON.stringify(delivered)).not.toContain('memberTokenOfTheTeacher');
    expect(recorded).toEqual([{ code: 'ABCDEF', action: { kind: 'cell-sent', lesson: 'rest', cell: 'create-user' } }]);
  });

  it('without a relay of this session, blanks the session id and the teacher key; a bad cell delivers nothing', async () => {
    const { value, delivered, recorded } = deps({ session: 'someone-else', secretBook: new SecretBook(['someone-else']) });
    await pushCell(value, 'ABCDEF', SESSION, { lesson: 'rest', cell: 'create-user', value: `${SESSION} ${KEY}` });
    expect(JSON.stringify(delivered)).not.toContain(SESSION);
    expect(JSON.stringify(delivered)).not.toContain(KEY);
    expect(await pushCell(value, 'ABCDEF', SESSION, { lesson: 'rest', cell: 'nope', value: 'x' })).toEqual({ type: 'error', error: 'BAD_CELL' });
    expect(delivered).toHaveLength(1);
    expect(recorded).toHaveLength(1);
  });
});
