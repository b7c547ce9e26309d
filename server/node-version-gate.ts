import { nodeTooOld } from './node-version.ts';

// A side effect on import, on purpose: server/main.ts imports this module before anything that loads better-sqlite3.
const refusal = nodeTooOld(process.version);
if (refusal) {
  process.stderr.write(`${refusal}\n`);
  process.exit(1);
}
