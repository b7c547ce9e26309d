import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { newClassCode } from '../names/class-code.ts';
import {
  hashToken,
  MAX_ATTEMPTS_KEPT,
  MAX_CLASS_ACTIONS_KEPT,
  MAX_CLASSES,
  MAX_MEMBERS,
  MAX_RESULTS_PER_MEMBER,
  REJOIN_CODE_LENGTH,
  type Attempt,
  type AttemptMiss,
  type ClassAction,
  type ClassInfo,
  type ClassroomStore,
  type ClassStatus,
  type ClassStatusChange,
  type ExerciseResult,
  type JoinOutcome,
  type MemberInfo,
  type RenameOutcome,
  type ResultOutcome,
  type CheckedProtocol,
  type ServerCheckCell,
  type ServerChecksRecord,
} from './classroom-store.ts';
import { CHECKED_PROTOCOLS } from '../../../contracts/own-server/check-result.ts';
import { displayNameKey, NAME_KEY_VERSION } from '../names/display-name.ts';

// Keys, all under the prefix (app.scale.key('classroom:')):
//   settings:teacher-key        string
//   classes                     sorted set: code, scored by creation time (ties: by code)
//   class:<code>                hash: title, createdMs; endedMs, notice, timer, assignment (JSON), frozenMs when set
//   class:<code>:actions        list: JSON ClassAction, newest first, at most MAX_CLASS_ACTIONS_KEPT
//   class:<code>:names          hash: name key (display-name.ts) → member id; its length is the member count
//   member-seq                  counter: member ids
//   member:<id>                 hash: classCode, name, rejoinCode, tokenHash, joinedMs, lastActiveMs
//   token:<sha256 of token>     string: member id
//   results:<id>                hash: JSON [lesson, exercise] → "attempts passedMs|- lastMs"
//   attempts:<id>               list: JSON Attempt, newest first, at most MAX_ATTEMPTS_KEPT
//   session:<sha256 of session> string: member id (the member hash's sessionHash names it back)
//   servers:<id>                hash: protocol → JSON ServerCheckCell, "<protocol>:checks" → JSON ServerCheckLine[]
// Every check-then-write that two instances may run at once (the class limit, a name's claim
// and the class size, the results limit and the first pass) is one Lua script: Redis runs a
// script alone, so two joins with the same name on two instances cannot both claim it.
// The scripts build member and token keys from the prefix, so they need one Redis (not Cluster).

// KEYS: class names. ARGV: member id, name key, … for every member of the class in the order
// they joined. The names hash is rebuilt only if it still holds exactly those members (a join
// or removal meanwhile: 0, asked again); two keys alike: the later member's gets its id appended.
const MIGRATE_NAME_KEYS = `
local ids = redis.call('HVALS', KEYS[1])
if #ids * 2 ~= #ARGV then return 0 end
local expected = {}
for i = 1, #ARGV, 2 do expected[ARGV[i]] = true end
for _, id in ipairs(ids) do if not expected[id] then return 0 end end
redis.call('DEL', KEYS[1])
for i = 1, #ARGV, 2 do
  if redis.call('HSETNX', KEYS[1], ARGV[i + 1], ARGV[i]) == 0 then redis.call('HSET', KEYS[1], ARGV[i + 1] .. '\0' .. ARGV[i], ARGV[i]) end
end
return 1
`;

const CREATE_CLASS = `
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
redis.call('HSET', KEYS[2], 'title', ARGV[2], 'createdMs', ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1
`;

// KEYS: class, class names, member-seq. ARGV: prefix, code, name, name key, rejoin code given
// ('' for none), new token hash, new rejoin code, now, max members.
const JOIN = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'NO_SUCH_CLASS'} end
if redis.call('HEXISTS', KEYS[1], 'endedMs') == 1 then return {'CLASS_ENDED'} end
local prefix = ARGV[1]
local id = redis.call('HGET', KEYS[2], ARGV[4])
if id then
  local member = prefix .. 'member:' .. id
  if ARGV[5] == '' or redis.call('HGET', member, 'rejoinCode') ~= ARGV[5] then return {'NAME_TAKEN'} end
  local old = redis.call('HGET', member, 'tokenHash')
  if old then redis.call('DEL', prefix .. 'token:' .. old) end
  redis.call('HSET', member, 'tokenHash', ARGV[6], 'lastActiveMs', ARGV[8])
  redis.call('SET', prefix .. 'token:' .. ARGV[6], id)
  return {'REJOINED', id, redis.call('HGET', member, 'name'), redis.call('HGET', member, 'rejoinCode'), redis.call('HGET', member, 'joinedMs')}
end
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[9]) then return {'CLASS_FULL'} end
id = tostring(redis.call('INCR', KEYS[3]))
redis.call('HSET', prefix .. 'member:' .. id, 'classCode', ARGV[2], 'name', ARGV[3], 'rejoinCode', ARGV[7], 'tokenHash', ARGV[6], 'joinedMs', ARGV[8], 'lastActiveMs', ARGV[8])
redis.call('HSET', KEYS[2], ARGV[4], id)
redis.call('SET', prefix .. 'token:' .. ARGV[6], id)
return {'JOINED', id}
`;

// KEYS: member, results, attempts. ARGV: field, passed ('1'/'0'), now, max results, prefix,
// the attempt (JSON), max attempts kept.
// Returns {changed (1/0), value}, {-1} past the limit, {-2} when the member's class has ended.
const RECORD_RESULT = `
local code = redis.call('HGET', KEYS[1], 'classCode')
if code and redis.call('HEXISTS', ARGV[5] .. 'class:' .. code, 'endedMs') == 1 then return {-2} end
redis.call('HSET', KEYS[1], 'lastActiveMs', ARGV[3])
local passedMs = '-'
if ARGV[2] == '1' then passedMs = ARGV[3] end
local before = redis.call('HGET', KEYS[2], ARGV[1])
if before then
  local attempts, passed = string.match(before, '^(%d+) (%S+) ')
  if passed ~= '-' then return {0, before} end
  local value = tostring(tonumber(attempts) + 1) .. ' ' .. passedMs .. ' ' .. ARGV[3]
  redis.call('HSET', KEYS[2], ARGV[1], value)
  redis.call('LPUSH', KEYS[3], ARGV[6])
  redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[7]) - 1)
  return {1, value}
end
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[4]) then return {-1} end
local value = '1 ' .. passedMs .. ' ' .. ARGV[3]
redis.call('HSET', KEYS[2], ARGV[1], value)
redis.call('LPUSH', KEYS[3], ARGV[6])
redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[7]) - 1)
return {1, value}
`;

// KEYS: class. ARGV: field, value, field, value… ('' deletes the field). 0: no such class.
const UPDATE_CLASS_STATUS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for i = 1, #ARGV, 2 do
  if ARGV[i + 1] == '' then redis.call('HDEL', KEYS[1], ARGV[i]) else redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
return 1
`;

// Lua's `redis.call` answers a missing field with false. A member's name key is found by its id
// in the class's names hash (at most MAX_MEMBERS fields: the scripts that look are the teacher's).

// KEYS: member, class names. ARGV: code, member id, new name, new name key.
const RENAME_MEMBER = `
if redis.call('HGET', KEYS[1], 'classCode') ~= ARGV[1] then return 'NO_SUCH_MEMBER' end
local holder = redis.call('HGET', KEYS[2], ARGV[4])
if holder and holder ~= ARGV[2] then return 'NAME_TAKEN' end
local names = redis.call('HGETALL', KEYS[2])
for i = 1, #names, 2 do
  if names[i + 1] == ARGV[2] then redis.call('HDEL', KEYS[2], names[i]) end
end
redis.call('HSET', KEYS[2], ARGV[4], ARGV[2])
redis.call('HSET', KEYS[1], 'name', ARGV[3])
return 'OK'
`;

// A member's session index, if it still names the member (a newer member of that browser may own it now).
// Used by the scripts below: prefix, member key, member id.
const FORGET_SESSION = `
local function forgetSession(prefix, member, id)
  local session = redis.call('HGET', member, 'sessionHash')
  if session and redis.call('GET', prefix .. 'session:' .. session) == id then redis.call('DEL', prefix .. 'session:' .. session) end
end
`;

// KEYS: member. ARGV: prefix, session hash, member id. 0: no such member.
const BIND_SESSION = `${FORGET_SESSION}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
forgetSession(ARGV[1], KEYS[1], ARGV[3])
redis.call('HSET', KEYS[1], 'sessionHash', ARGV[2])
redis.call('SET', ARGV[1] .. 'session:' .. ARGV[2], ARGV[3])
return 1
`;

// KEYS: member, servers. ARGV: prefix, protocol, cell (JSON), checks (JSON).
const RECORD_SERVER_CHECKS = `
local code = redis.call('HGET', KEYS[1], 'classCode')
if not code then return 'NO_SUCH_MEMBER' end
if redis.call('HEXISTS', ARGV[1] .. 'class:' .. code, 'endedMs') == 1 then return 'CLASS_ENDED' end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3], ARGV[2] .. ':checks', ARGV[4])
return 'ok'
`;

// KEYS: member, class names, results. ARGV: prefix, code, member id.
const REMOVE_MEMBER = `${FORGET_SESSION}
if redis.call('HGET', KEYS[1], 'classCode') ~= ARGV[2] then return 0 end
local token = redis.call('HGET', KEYS[1], 'tokenHash')
if token then redis.call('DEL', ARGV[1] .. 'token:' .. token) end
forgetSession(ARGV[1], KEYS[1], ARGV[3])
local names = redis.call('HGETALL', KEYS[2])
for i = 1, #names, 2 do
  if names[i + 1] == ARGV[3] then redis.call('HDEL', KEYS[2], names[i]) end
end
redis.call('DEL', KEYS[1], KEYS[3], ARGV[1] .. 'attempts:' .. ARGV[3], ARGV[1] .. 'servers:' .. ARGV[3])
return 1
`;

// KEYS: classes, class, class names. ARGV: prefix, code. Returns {0} for no such class, else {1, member ids...}.
const DELETE_CLASS = `${FORGET_SESSION}
if redis.call('EXISTS', KEYS[2]) == 0 then return {0} end
local ids = redis.call('HVALS', KEYS[3])
for _, id in ipairs(ids) do
  local member = ARGV[1] .. 'member:' .. id
  local token = redis.call('HGET', member, 'tokenHash')
  if token then redis.call('DEL', ARGV[1] .. 'token:' .. token) end
  forgetSession(ARGV[1], member, id)
  redis.call('DEL', member, ARGV[1] .. 'results:' .. id, ARGV[1] .. 'attempts:' .. id, ARGV[1] .. 'servers:' .. id)
end
redis.call('DEL', KEYS[2], KEYS[3], ARGV[1] .. 'class:' .. ARGV[2] .. ':actions')
redis.call('ZREM', KEYS[1], ARGV[2])
table.insert(ids, 1, 1)
return ids
`;

// KEYS: class, its actions. ARGV: the action (JSON), how many are kept.
const RECORD_ACTION = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('LPUSH', KEYS[2], ARGV[1])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[2]) - 1)
return 1
`;

type Scripted = Redis & {
  wirelabRecordAction(klass: string, actions: string, action: string, max: number): Promise<number>;
  wirelabRenameMember(member: string, names: string, code: string, id: number, name: string, nameKey: string): Promise<'OK' | 'NO_SUCH_MEMBER' | 'NAME_TAKEN'>;
  wirelabRemoveMember(member: string, names: string, results: string, prefix: string, code: string, id: number): Promise<number>;
  wirelabDeleteClass(classes: string, klass: string, names: string, prefix: string, code: string): Promise<Array<number | string>>;
  wirelabCreateClass(classes: string, klass: string, code: string, title: string, now: number, max: number): Promise<number>;
  wirelabMigrateNameKeys(names: string, ...idsAndKeys: string[]): Promise<number>;
  wirelabJoin(klass: string, names: string, seq: string, ...args: Array<string | number>): Promise<string[]>;
  wirelabRecordResult(
    member: string,
    results: string,
    attempts: string,
    field: string,
    passed: string,
    now: number,
    max: number,
    prefix: string,
    attempt: string,
    maxAttempts: number,
  ): Promise<[number, string?]>;
  wirelabUpdateClassStatus(klass: string, ...fieldsAndValues: string[]): Promise<number>;
  wirelabBindSession(member: string, prefix: string, sessionHash: string, id: number): Promise<number>;
  wirelabRecordServerChecks(
    member: string,
    servers: string,
    prefix: string,
    protocol: string,
    cell: string,
    checks: string,
  ): Promise<'ok' | 'CLASS_ENDED' | 'NO_SUCH_MEMBER'>;
};

/** The replies of a pipeline; the first command that failed fails the whole read. */
async function replies<T>(pipeline: ReturnType<Redis['pipeline']>): Promise<T[]> {
  return ((await pipeline.exec()) ?? []).map(([error, reply]) => {
    if (error) throw error;
    return reply as T;
  });
}

const resultOf = (field: string, value: string): ExerciseResult => {
  const [lesson, exercise] = JSON.parse(field) as [string, string];
  const [attempts, passedMs, lastMs] = value.split(' ');
  return { lesson, exercise, attempts: Number(attempts), passedMs: passedMs === '-' ? null : Number(passedMs), lastMs: Number(lastMs) };
};

/** The misses kept in a member's attempts list (newest first there), oldest first, by the results hash's field. */
function keptMisses(attempts: readonly string[]): Map<string, AttemptMiss[]> {
  const byField = new Map<string, AttemptMiss[]>();
  for (const text of [...attempts].reverse()) {
    const attempt = JSON.parse(text) as Attempt;
    if (attempt.passed || !attempt.miss) continue;
    const field = JSON.stringify([attempt.lesson, attempt.exercise]);
    byField.set(field, [...(byField.get(field) ?? []), attempt.miss]);
  }
  return byField;
}

const byLessonThenExercise = (a: ExerciseResult, b: ExerciseResult): number =>
  a.lesson < b.lesson ? -1 : a.lesson > b.lesson ? 1 : a.exercise < b.exercise ? -1 : a.exercise > b.exercise ? 1 : 0;

const memberOf = (id: number, hash: Record<string, string>): MemberInfo | null =>
  hash.classCode === undefined
    ? null
    : { id, classCode: hash.classCode, name: hash.name, rejoinCode: hash.rejoinCode, joinedMs: Number(hash.joinedMs), lastActiveMs: Number(hash.lastActiveMs) };

/**
 * Classes, members and results in the Redis every instance shares, so a class created on one
 * instance is joined on another and its board is the same everywhere. Durable as far as the
 * Redis is (README.md, "Several instances": appendonly).
 */
export class RedisClassroomStore implements ClassroomStore {
  private readonly redis: Scripted;

  /** `redis`: a connection of the app's (app.scale.connection), closed with the app; `prefix` ends the key names' common part. */
  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand('wirelabMigrateNameKeys', { numberOfKeys: 1, lua: MIGRATE_NAME_KEYS });
    redis.defineCommand('wirelabCreateClass', { numberOfKeys: 2, lua: CREATE_CLASS });
    redis.defineCommand('wirelabJoin', { numberOfKeys: 3, lua: JOIN });
    redis.defineCommand('wirelabRecordResult', { numberOfKeys: 3, lua: RECORD_RESULT });
    redis.defineCommand('wirelabUpdateClassStatus', { numberOfKeys: 1, lua: UPDATE_CLASS_STATUS });
    redis.defineCommand('wirelabRecordAction', { numberOfKeys: 2, lua: RECORD_ACTION });
    redis.defineCommand('wirelabRenameMember', { numberOfKeys: 2, lua: RENAME_MEMBER });
    redis.defineCommand('wirelabRemoveMember', { numberOfKeys: 3, lua: REMOVE_MEMBER });
    redis.defineCommand('wirelabDeleteClass', { numberOfKeys: 3, lua: DELETE_CLASS });
    redis.defineCommand('wirelabBindSession', { numberOfKeys: 1, lua: BIND_SESSION });
    redis.defineCommand('wirelabRecordServerChecks', { numberOfKeys: 2, lua: RECORD_SERVER_CHECKS });
    this.redis = redis as Scripted;
  }

  private key(name: string): string {
    return this.prefix + name;
  }

  /** The connection is the app's: it closes with the app (server/scale/). */
  close(): void {}

  /**
   * Name keys made before the confusable skeleton become displayNameKey's, once per Redis (as the
   * SQLite store does; every instance may run it at once: the same members give the same keys).
   */
  async migrate(): Promise<void> {
    const versionKey = this.key('settings:name-key-version');
    if ((await this.redis.get(versionKey)) === String(NAME_KEY_VERSION)) return;
    for (const { code } of await this.classes()) {
      for (let attempt = 0; attempt < 10; attempt++) {
        const pairs = (await this.members(code)).sort((a, b) => a.id - b.id).flatMap((member) => [String(member.id), displayNameKey(member.name)]);
        if ((await this.redis.wirelabMigrateNameKeys(this.key(`class:${code}:names`), ...pairs)) === 1) break;
      }
    }
    await this.redis.set(versionKey, String(NAME_KEY_VERSION));
  }

  async teacherKey(given?: string): Promise<string> {
    if (given) return given;
    // The first instance to start makes the key; the others read it.
    await this.redis.set(this.key('settings:teacher-key'), randomBytes(18).toString('base64url'), 'NX');
    return (await this.redis.get(this.key('settings:teacher-key')))!;
  }

  async createClass(title: string, now = Date.now()): Promise<ClassInfo | null> {
    for (;;) {
      const code = newClassCode();
      const outcome = await this.redis.wirelabCreateClass(this.key('classes'), this.key(`class:${code}`), code, title, now, MAX_CLASSES);
      if (outcome === 0) return null;
      if (outcome === 1) return { code, title, createdMs: now };
    }
  }

  async classes(): Promise<ClassInfo[]> {
    const codes = await this.redis.zrange(this.key('classes'), 0, -1);
    const pipeline = this.redis.pipeline();
    for (const code of codes) pipeline.hgetall(this.key(`class:${code}`));
    const hashes = await replies<Record<string, string>>(pipeline);
    return codes.flatMap((code, index) => {
      const hash = hashes[index];
      return hash.title === undefined ? [] : [{ code, title: hash.title, createdMs: Number(hash.createdMs) }];
    });
  }

  async classByCode(code: string): Promise<ClassInfo | null> {
    const hash = await this.redis.hgetall(this.key(`class:${code}`));
    return hash.title === undefined ? null : { code, title: hash.title, createdMs: Number(hash.createdMs) };
  }

  async join(code: string, name: string, rejoinCode: string | null, now = Date.now()): Promise<JoinOutcome> {
    const token = randomBytes(24).toString('base64url');
    const newRejoinCode = newClassCode(REJOIN_CODE_LENGTH);
    // The rejoin code is compared inside the script (not in constant time: over a network and
    // behind the per-address join budget its timing tells nothing usable).
    const reply = await this.redis.wirelabJoin(
      this.key(`class:${code}`),
      this.key(`class:${code}:names`),
      this.key('member-seq'),
      this.prefix,
      code,
      name,
      displayNameKey(name),
      rejoinCode ? rejoinCode.toUpperCase() : '',
      hashToken(token),
      newRejoinCode,
      now,
      MAX_MEMBERS,
    );
    const [status, id] = reply;
    if (status === 'NO_SUCH_CLASS' || status === 'NAME_TAKEN' || status === 'CLASS_FULL' || status === 'CLASS_ENDED') return { ok: false, error: status };
    if (status === 'REJOINED') {
      const [, , memberName, memberRejoinCode, joinedMs] = reply;
      return {
        ok: true,
        member: { id: Number(id), classCode: code, name: memberName, rejoinCode: memberRejoinCode, joinedMs: Number(joinedMs), lastActiveMs: now },
        token,
        rejoined: true,
      };
    }
    return { ok: true, member: { id: Number(id), classCode: code, name, rejoinCode: newRejoinCode, joinedMs: now, lastActiveMs: now }, token, rejoined: false };
  }

  async memberByToken(token: unknown): Promise<MemberInfo | null> {
    if (typeof token !== 'string' || token.length > 100) return null;
    const id = await this.redis.get(this.key(`token:${hashToken(token)}`));
    if (id === null) return null;
    return memberOf(Number(id), await this.redis.hgetall(this.key(`member:${id}`)));
  }

  private async memberIds(code: string): Promise<number[]> {
    return (await this.redis.hvals(this.key(`class:${code}:names`))).map(Number);
  }

  async members(code: string): Promise<MemberInfo[]> {
    const ids = await this.memberIds(code);
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.key(`member:${id}`));
    const hashes = await replies<Record<string, string>>(pipeline);
    return ids.flatMap((id, index) => memberOf(id, hashes[index]) ?? []).sort((a, b) => a.joinedMs - b.joinedMs || a.id - b.id);
  }

  async memberCount(code: string): Promise<number> {
    return this.redis.hlen(this.key(`class:${code}:names`));
  }

  async renameMember(code: string, memberId: number, name: string): Promise<RenameOutcome> {
    const outcome = await this.redis.wirelabRenameMember(
      this.key(`member:${memberId}`),
      this.key(`class:${code}:names`),
      code,
      memberId,
      name,
      displayNameKey(name),
    );
    if (outcome !== 'OK') return { ok: false, error: outcome };
    const member = memberOf(memberId, await this.redis.hgetall(this.key(`member:${memberId}`)));
    return member ? { ok: true, member } : { ok: false, error: 'NO_SUCH_MEMBER' };
  }

  async removeMember(code: string, memberId: number): Promise<boolean> {
    return (
      (await this.redis.wirelabRemoveMember(
        this.key(`member:${memberId}`),
        this.key(`class:${code}:names`),
        this.key(`results:${memberId}`),
        this.prefix,
        code,
        memberId,
      )) === 1
    );
  }

  async deleteClass(code: string): Promise<number[] | null> {
    const [found, ...ids] = await this.redis.wirelabDeleteClass(
      this.key('classes'),
      this.key(`class:${code}`),
      this.key(`class:${code}:names`),
      this.prefix,
      code,
    );
    return Number(found) === 1 ? ids.map(Number) : null;
  }

  async touch(memberId: number, now = Date.now()): Promise<void> {
    await this.redis.hset(this.key(`member:${memberId}`), 'lastActiveMs', now);
  }

  async recordResult(
    memberId: number,
    lesson: string,
    exercise: string,
    passed: boolean,
    now = Date.now(),
    miss: AttemptMiss | null = null,
  ): Promise<ResultOutcome> {
    const field = JSON.stringify([lesson, exercise]);
    const attempt: Attempt = { lesson, exercise, passed, ms: now, miss: passed ? null : miss };
    const [changed, value] = await this.redis.wirelabRecordResult(
      this.key(`member:${memberId}`),
      this.key(`results:${memberId}`),
      this.key(`attempts:${memberId}`),
      field,
      passed ? '1' : '0',
      now,
      MAX_RESULTS_PER_MEMBER,
      this.prefix,
      JSON.stringify(attempt),
      MAX_ATTEMPTS_KEPT,
    );
    if (changed === -1) return { ok: false, error: 'TOO_MANY_RESULTS' };
    if (changed === -2) return { ok: false, error: 'CLASS_ENDED' };
    return { ok: true, result: resultOf(field, value!), changed: changed === 1 };
  }

  async attempts(memberId: number): Promise<Attempt[]> {
    return (await this.redis.lrange(this.key(`attempts:${memberId}`), 0, -1)).map((text) => JSON.parse(text) as Attempt);
  }

  async bindSession(memberId: number, session: string): Promise<void> {
    await this.redis.wirelabBindSession(this.key(`member:${memberId}`), this.prefix, hashToken(session), memberId);
  }

  async memberBySession(session: string): Promise<MemberInfo | null> {
    const hash = hashToken(session);
    const id = await this.redis.get(this.key(`session:${hash}`));
    if (id === null) return null;
    const fields = await this.redis.hgetall(this.key(`member:${id}`));
    // the member bound another session since (a rejoin from another browser): this one is not theirs
    return fields.sessionHash === hash ? memberOf(Number(id), fields) : null;
  }

  async recordServerChecks(memberId: number, record: ServerChecksRecord): Promise<'ok' | 'CLASS_ENDED' | 'NO_SUCH_MEMBER'> {
    return this.redis.wirelabRecordServerChecks(
      this.key(`member:${memberId}`),
      this.key(`servers:${memberId}`),
      this.prefix,
      record.cell.protocol,
      JSON.stringify(record.cell),
      JSON.stringify(record.checks),
    );
  }

  async serverChecks(memberId: number, protocol: CheckedProtocol): Promise<ServerChecksRecord | null> {
    const [cell, checks] = await this.redis.hmget(this.key(`servers:${memberId}`), protocol, `${protocol}:checks`);
    return cell && checks ? { cell: JSON.parse(cell) as ServerCheckCell, checks: JSON.parse(checks) as ServerChecksRecord['checks'] } : null;
  }

  async serverCellsOfClass(code: string): Promise<Map<number, ServerCheckCell[]>> {
    const ids = await this.memberIds(code);
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(this.key(`servers:${id}`), ...CHECKED_PROTOCOLS);
    const rows = await replies<Array<string | null>>(pipeline);
    const byMember = new Map<number, ServerCheckCell[]>();
    ids.forEach((id, index) => {
      const cells = rows[index].flatMap((text) => (text ? [JSON.parse(text) as ServerCheckCell] : []));
      if (cells.length > 0) byMember.set(id, cells);
    });
    return byMember;
  }

  async classStatus(code: string): Promise<ClassStatus | null> {
    const [title, endedMs, notice, timer, assignment, frozenMs] = await this.redis.hmget(
      this.key(`class:${code}`),
      'title',
      'endedMs',
      'notice',
      'timer',
      'assignment',
      'frozenMs',
    );
    if (title === null) return null;
    return {
      endedMs: endedMs === null ? null : Number(endedMs),
      notice: notice ? (JSON.parse(notice) as ClassStatus['notice']) : null,
      timer: timer ? (JSON.parse(timer) as ClassStatus['timer']) : null,
      assignment: assignment ? (JSON.parse(assignment) as ClassStatus['assignment']) : null,
      frozenMs: frozenMs === null ? null : Number(frozenMs),
    };
  }

  async recordAction(code: string, action: ClassAction): Promise<void> {
    await this.redis.wirelabRecordAction(this.key(`class:${code}`), this.key(`class:${code}:actions`), JSON.stringify(action), MAX_CLASS_ACTIONS_KEPT);
  }

  async actions(code: string): Promise<ClassAction[]> {
    return (await this.redis.lrange(this.key(`class:${code}:actions`), 0, MAX_CLASS_ACTIONS_KEPT - 1)).map((text) => JSON.parse(text) as ClassAction);
  }

  async updateClassStatus(code: string, change: ClassStatusChange): Promise<ClassStatus | null> {
    const fields: string[] = [];
    if (change.endedMs !== undefined) fields.push('endedMs', change.endedMs === null ? '' : String(change.endedMs));
    if (change.notice !== undefined) fields.push('notice', change.notice ? JSON.stringify(change.notice) : '');
    if (change.timer !== undefined) fields.push('timer', change.timer ? JSON.stringify(change.timer) : '');
    if (change.frozenMs !== undefined) fields.push('frozenMs', change.frozenMs === null ? '' : String(change.frozenMs));
    if (change.assignment !== undefined) fields.push('assignment', change.assignment ? JSON.stringify(change.assignment) : '');
    if ((await this.redis.wirelabUpdateClassStatus(this.key(`class:${code}`), ...fields)) === 0) return null;
    return this.classStatus(code);
  }

  async results(memberId: number): Promise<ExerciseResult[]> {
    const hash = await this.redis.hgetall(this.key(`results:${memberId}`));
    return Object.entries(hash)
      .map(([field, value]) => resultOf(field, value))
      .sort(byLessonThenExercise);
  }

  async resultsOfClass(code: string): Promise<Map<number, ExerciseResult[]>> {
    const ids = await this.memberIds(code);
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.key(`results:${id}`)).lrange(this.key(`attempts:${id}`), 0, -1);
    const answers = await replies<Record<string, string> | string[]>(pipeline);
    const byMember = new Map<number, ExerciseResult[]>();
    ids.forEach((id, index) => {
      const misses = keptMisses(answers[2 * index + 1] as string[]);
      const list = Object.entries(answers[2 * index] as Record<string, string>)
        .map(([field, value]) => ({ ...resultOf(field, value), misses: misses.get(field) ?? [] }))
        .sort(byLessonThenExercise);
      if (list.length > 0) byMember.set(id, list);
    });
    return byMember;
  }
}
