// Rooms by concern, met through their public faces (issue 56): the classroom's files stand in
// folders by concern (server/classroom/README.md, "Folders"), with few files at its top; the app
// and its start compose every room (the classroom, gRPC, the listener, the tap…) through its
// index.ts, never a file inside them; a lesson page
// never imports the classroom's pages — what the classroom puts into a lesson comes through the
// kit (web/kit/classroom-parts.ts), which the app shell fills.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './function-lengths.ts';
import { importsOf } from './imports.ts';

/** More files than this at server/classroom/'s top and a newcomer is back to one long list. */
const CLASSROOM_TOP_MAX_FILES = 15;
/** The files that compose the app: each room of server/ they use, they use through its index.ts. */
const COMPOSERS = ['server/app.ts', 'server/main.ts'];

/** The room an import lands in (`server/<room>/` or `server/protocols/<name>/`), or null for a file at server/'s top. */
function roomOf(target: string): string | null {
  const match = /^server\/(protocols\/[^/]+\/|[^/]+\/)/.exec(target);
  return match ? `server/${match[1]}` : null;
}

/** Every .ts/.tsx file below a folder, tests included. */
function everyFile(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return everyFile(path);
    return /\.(ts|tsx|mts)$/.test(entry.name) ? [path] : [];
  });
}

/** The imports of `file` into `room` that are not its face. */
function pastTheFace(file: string, imported: string[], room: string): string[] {
  return imported.filter((target) => target.startsWith(room) && target !== `${room}index.ts`).map((target) => `${file} -> ${target}`);
}

describe('rooms by concern', () => {
  it('keeps server/classroom/ to a few files at its top', () => {
    const topFiles = readdirSync(join(ROOT, 'server/classroom'), { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);
    expect(topFiles.length, topFiles.join('\n')).toBeLessThanOrEqual(CLASSROOM_TOP_MAX_FILES);
  });

  it('tells an import past a face from one through it', () => {
    const imported = ['server/classroom/index.ts', 'server/classroom/relay/teacher-relay.ts', 'server/tap/capture-hub.ts'];
    expect(pastTheFace('server/app.ts', imported, 'server/classroom/')).toEqual(['server/app.ts -> server/classroom/relay/teacher-relay.ts']);
  });

  it('names the room of an import', () => {
    expect(roomOf('server/classroom/relay/teacher-relay.ts')).toBe('server/classroom/');
    expect(roomOf('server/protocols/rest/openapi.ts')).toBe('server/protocols/rest/');
    expect(roomOf('server/node-flags.ts')).toBeNull();
  });

  it('has the app and its start compose every room of server/ through its index.ts alone', () => {
    const crossings = COMPOSERS.flatMap((file) => {
      const imported = importsOf(join(ROOT, file)).map((target) => relative(ROOT, target));
      expect(imported.length).toBeGreaterThan(0);
      const rooms = [...new Set(imported.map(roomOf).filter((room) => room !== null))];
      return rooms.flatMap((room) => pastTheFace(file, imported, room));
    });
    expect(crossings).toEqual([]);
  });

  it('has no lesson import the classroom’s pages', () => {
    const crossings = everyFile(join(ROOT, 'web/lessons')).flatMap((file) =>
      importsOf(file)
        .map((target) => relative(ROOT, target))
        .filter((target) => target.startsWith('web/classroom/'))
        .map((target) => `${relative(ROOT, file)} -> ${target}`),
    );
    expect(crossings).toEqual([]);
  });
});
