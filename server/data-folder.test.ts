import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareDataFolder } from './data-folder.ts';
import { openDatabase } from './domain/database.ts';
import { levelPersistence } from './protocols/mqtt/broker-persistence.ts';
import { loadSessionSecret } from './session/session-secret.ts';

const parents: string[] = [];
function scratch(): string {
  const parent = mkdtempSync(join(tmpdir(), 'wirelab-data-folder-'));
  parents.push(parent);
  return parent;
}
const modeOf = (path: string) => statSync(path).mode & 0o777;

afterEach(() => {
  for (const parent of parents.splice(0)) rmSync(parent, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('the data folder Wirelab makes', () => {
  it('is the owner’s only: the folder and the broker’s 0700, the database with its -wal and -shm, the session secret 0600', async () => {
    const dir = join(scratch(), 'nested', 'data');
    const folder = prepareDataFolder(dir);
    expect(folder.warning).toBeNull();
    const db = openDatabase(folder.databaseFile);
    db.exec('CREATE TABLE mode_test (x); INSERT INTO mode_test VALUES (1)');
    loadSessionSecret(dir);
    const broker = await levelPersistence(folder.mqttDir);
    try {
      expect(modeOf(dir)).toBe(0o700);
      expect(modeOf(folder.mqttDir)).toBe(0o700);
      for (const file of ['wirelab.sqlite', 'wirelab.sqlite-wal', 'wirelab.sqlite-shm', 'session-secret']) {
        expect(existsSync(join(dir, file)), file).toBe(true);
        expect(modeOf(join(dir, file)), file).toBe(0o600);
      }
    } finally {
      await broker.destroy();
      db.close();
    }
  });

  it('keeps a database that is already there', () => {
    const dir = scratch();
    const first = openDatabase(prepareDataFolder(dir).databaseFile);
    first.exec("CREATE TABLE kept (x); INSERT INTO kept VALUES ('kept')");
    first.close();
    const again = openDatabase(prepareDataFolder(dir).databaseFile);
    expect(again.prepare('SELECT x FROM kept').pluck().all()).toEqual(['kept']);
    again.close();
  });
});

describe.skipIf(process.platform === 'win32')('a data folder that was already there', () => {
  it('others may read: warned about in both languages, with the command that closes it, and left as it was', () => {
    const dir = join(scratch(), 'data');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'session-secret'), Buffer.alloc(32, 1), { mode: 0o644 });
    const { warning } = prepareDataFolder(dir);
    expect(warning).toContain(`The data folder ${dir} (mode 755) may be read by other users`);
    expect(warning).toContain(`chmod 700 ${dir}`);
    expect(warning).toContain(`Папку данных ${dir} (права 755) могут читать другие пользователи`);
    expect(modeOf(dir)).toBe(0o755);
  });

  it('readable by its group only: warned about too', () => {
    const dir = scratch();
    chmodSync(dir, 0o750);
    expect(prepareDataFolder(dir).warning).toContain('(mode 750)');
  });

  it('private: no warning', () => {
    const dir = scratch();
    chmodSync(dir, 0o700);
    expect(prepareDataFolder(dir).warning).toBeNull();
  });

  it('on Windows, where the permission bits mean nothing: no warning', () => {
    const dir = scratch();
    chmodSync(dir, 0o755);
    expect(prepareDataFolder(dir, 'win32').warning).toBeNull();
  });
});
