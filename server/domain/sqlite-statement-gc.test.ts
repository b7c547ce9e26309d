// Node 24.19 made node::ObjectWrap's destructor remove an environment cleanup hook, which CHECKs that
// a Node context is entered; V8 may collect garbage from a task with none entered. better-sqlite3 12
// built its Statement on ObjectWrap, so any statement the server let go of (every db.pragma() and
// one-off prepare() makes one) could abort the process: "Assertion failed: (env) != nullptr" from
// Statement::~Statement(), on the second start of a server with data. better-sqlite3 13 is built on
// Node-API; this holds that no statement's collection takes the process down on this Node.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');

const program = `
const Database = require(${JSON.stringify(betterSqlite3)});
const db = new Database(':memory:');
for (let i = 0; i < 20000; i++) db.prepare('SELECT ' + i).get();
let rounds = 0;
const garbage = [];
const timer = setInterval(() => {
  for (let i = 0; i < 1000; i++) garbage.push({ filler: new Array(100).fill(i) });
  if (garbage.length > 50000) garbage.length = 0;
  if (++rounds === 200) { clearInterval(timer); db.close(); console.log('collected'); }
}, 5);
`;

describe('statements the server lets go of', () => {
  it('are collected without aborting the process', () => {
    const run = spawnSync(process.execPath, ['-e', program], { encoding: 'utf8' });
    expect(run.stderr).not.toContain('Assertion failed');
    expect(run.signal).toBeNull();
    expect(run.stdout.trim()).toBe('collected');
    expect(run.status).toBe(0);
  }, 60_000);
});
