import { describe, expect, it } from 'vitest';
import { createDomain, WritesFrozenError } from './index.ts';

// The one place every write passes (sandboxes.ts, inSandbox): a guard freezes a sandbox's writes.

const FROZEN = { en: 'Frozen while the teacher demonstrates', ru: 'Заморожено, пока преподаватель показывает' };

describe('a write guard', () => {
  it('refuses every write to the sandboxes it names, and nothing else; reads and a reset still work', () => {
    const domain = createDomain({ file: ':memory:' });
    domain.setWriteGuard((sandboxId) => (sandboxId === 'frozen' ? FROZEN : null));
    const user = { name: 'Eve', email: 'eve@example.com' };
    const writes = [
      () => domain.users.create('frozen', user),
      () => domain.users.patch('frozen', 1, { status: 'inactive' }),
      () => domain.users.replace('frozen', 1, { ...user, status: 'active', roles: ['reader'], metadata: {}, phone: null }),
      () => domain.users.delete('frozen', 1),
      () => domain.posts.create('frozen', { author_id: 1, title: 'T', content: 'C' }),
      () => domain.posts.delete('frozen', 1),
      () => domain.comments.create('frozen', 1, { author_id: 1, content: 'C' }),
    ];
    for (const write of writes) {
      const error = (() => {
        try {
          write();
        } catch (thrown) {
          return thrown;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(WritesFrozenError);
      expect((error as WritesFrozenError).reason).toEqual(FROZEN);
    }
    expect(domain.users.get('frozen', 1)?.name).toBe('Ada Lovelace');
    expect(domain.users.list('frozen', {}).total).toBe(12);
    domain.resetSandbox('frozen');
    expect(domain.users.create('other', user).name).toBe('Eve');

    domain.setWriteGuard(null);
    expect(domain.users.create('frozen', user).name).toBe('Eve');
    domain.close();
  });
});
