import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { dataFolderReadableWarning } from './listener/startup-warnings.ts';

/** Where DATA_DIR's parts live, and what the teacher is told about the folder at start-up. */
export interface DataFolder {
  /** the SQLite database: the demo domain, the classroom (the teacher key in plain text), "check my server"'s runs */
  databaseFile: string;
  /** the MQTT broker's LevelDB */
  mqttDir: string;
  /** the warning, in both languages, for a folder that was already there and others may read; null otherwise */
  warning: string | null;
}

/** Owner only: the folder holds the teacher key and the secret that signs sessions. */
const PRIVATE_FOLDER = 0o700;
const PRIVATE_FILE = 0o600;

/**
 * Makes DATA_DIR private when Wirelab makes it: the folder and the broker's folder 0700, the
 * database 0600 (made empty here, before SQLite opens it, because SQLite would make it 0644;
 * SQLite gives its -wal and -shm files the database file's permissions). A folder that was
 * already there is not changed (its owner chose its mode), only warned about when others may
 * read it. On Windows the permission bits mean nothing, so there is no warning.
 */
export function prepareDataFolder(dir: string, platform: NodeJS.Platform = process.platform): DataFolder {
  const existed = existsSync(dir);
  if (!existed) {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_FOLDER });
    // mkdir's mode passes through the umask; chmod does not.
    chmodSync(dir, PRIVATE_FOLDER);
  }
  const mqttDir = join(dir, 'mqtt');
  if (!existsSync(mqttDir)) mkdirSync(mqttDir, { mode: PRIVATE_FOLDER });
  const databaseFile = join(dir, 'wirelab.sqlite');
  createPrivateFile(databaseFile);
  const mode = statSync(dir).mode & 0o777;
  const othersMayRead = existed && platform !== 'win32' && (mode & 0o077) !== 0;
  return { databaseFile, mqttDir, warning: othersMayRead ? dataFolderReadableWarning(dir, mode) : null };
}

/** An empty file readable by its owner only, unless the file is already there. */
function createPrivateFile(file: string): void {
  try {
    closeSync(openSync(file, 'wx', PRIVATE_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
