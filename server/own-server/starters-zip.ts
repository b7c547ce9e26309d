import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { zipSync, type Zippable } from 'fflate';
import { STARTERS_ZIP_PATH } from '../../contracts/own-server/check-result.ts';

// The starter servers as one zip a student downloads from the page (issue 27: "downloadable from
// the page as a zip"): starters/ (Python and Go) and the .proto files the gRPC starters generate
// their stubs from, laid out as in the repository, so each README's commands work in the
// unpacked folder. Built once, on the first download, from this checkout's files. The complete
// versions (starters/<language>/complete/) stay out: students get the skeletons, whose TODOs are
// the homework (issue 37); CI runs both. The teacher's desk downloads the same zip with them
// (startersZip(root, { complete: true }), served by server/classroom/routes/complete-starters-route.ts).

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FOLDER = 'wirelab-starters';

/** What a starter is made of; build output, generated stubs and caches stay out. */
const SOURCE_FILE = /(\.(py|go|sh|md|proto)|\/\.gitignore|\/requirements\.txt|\/go\.mod|\/go\.sum)$/;
const BUILT_FOLDERS = ['gen', '__pycache__', 'gopath', 'node_modules'];
/** Where `go generate ./stubs` writes the Go starters' stubs: every folder below it is generated, only generate.go is source. */
const GO_STUBS = join('starters', 'go', 'stubs');
/** The complete versions: in the teacher's zip only. */
const COMPLETE_FOLDER = 'complete';

function filesUnder(folder: string, wanted: (path: string) => boolean, skipped: ReadonlySet<string>): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return skipped.has(entry.name) || folder.endsWith(GO_STUBS) ? [] : filesUnder(path, wanted, skipped);
    return entry.isFile() && wanted(path) ? [path] : [];
  });
}

export interface StartersZipOptions {
  /** with starters/<language>/complete/: the teacher's zip; without (the default): the students' */
  complete?: boolean;
}

/** The archive's entries: path in the zip → bytes (scripts keep their executable bit). */
export function startersZip(root = ROOT, options: StartersZipOptions = {}): Uint8Array {
  const skipped = new Set(options.complete ? BUILT_FOLDERS : [...BUILT_FOLDERS, COMPLETE_FOLDER]);
  const files = [
    ...filesUnder(join(root, 'starters'), (path) => SOURCE_FILE.test(path.split(sep).join('/')), skipped),
    ...filesUnder(join(root, 'proto'), (path) => path.endsWith('.proto') && !path.includes(`${sep}gen${sep}`), skipped),
  ];
  const entries: Zippable = {};
  for (const path of files.sort()) {
    const name = `${FOLDER}/${relative(root, path).split(sep).join('/')}`;
    const executable = (statSync(path).mode & 0o111) !== 0;
    // os 3 = Unix, so unzip restores the mode kept in the high half of the external attributes
    entries[name] = [readFileSync(path), { os: 3, attrs: (executable ? 0o100755 : 0o100644) << 16, mtime: new Date('2026-01-01T00:00:00Z') }];
  }
  return zipSync(entries, { level: 9 });
}

/** `GET /_wirelab/own-server/starters.zip`: the starters, as an attachment. */
export default async function startersZipRoute(app: FastifyInstance): Promise<void> {
  let zip: Buffer | null = null;
  app.get(
    STARTERS_ZIP_PATH,
    { schema: { description: 'The starter servers (starters/ and the .proto files) as one zip', response: { 200: { type: 'string', format: 'binary' } } } },
    async (_request, reply) => {
      zip ??= Buffer.from(startersZip());
      return reply.type('application/zip').header('content-disposition', `attachment; filename="${FOLDER}.zip"`).send(zip);
    },
  );
}
