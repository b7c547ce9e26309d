// Imported first by server/main.ts, so that it runs before better-sqlite3 loads: better-sqlite3 13
// is built on Node-API 10 (Node 22.14 and newer) and on an older Node the process dies with a
// segmentation fault and no word of why.

/** The oldest Node.js Wirelab runs on: package.json's engines, the README, and CI's smoke run name it. */
export const OLDEST_NODE = '22.14.0';

/** The refusal, in both languages, for a Node older than OLDEST_NODE; null when `version` (process.version) is new enough. */
export function nodeTooOld(version: string): string | null {
  const [major, minor, patch] = version.replace(/^v/, '').split('.').map(Number);
  const [oldestMajor, oldestMinor, oldestPatch] = OLDEST_NODE.split('.').map(Number);
  const newEnough = major !== oldestMajor ? major > oldestMajor : minor !== oldestMinor ? minor > oldestMinor : patch >= oldestPatch;
  if (newEnough) return null;
  return (
    `Wirelab could not start: it needs Node.js ${OLDEST_NODE} or newer (24 LTS is best), this is ${version}: install the LTS from nodejs.org / ` +
    `Wirelab не запустился: нужен Node.js ${OLDEST_NODE} или новее (лучше всего 24 LTS), а это ${version}: установите LTS с nodejs.org`
  );
}
