// First: on a Node too old for better-sqlite3 it says so and exits, before anything loads it.
import './node-version-gate.ts';
import { networkInterfaces } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.ts';
import { ownServersEnabled, parseDeniedPorts, redisDenial } from './own-server/index.ts';
import { parseAllowedOrigins, parseProxyProtocolFrom, parseTrustProxy, parseAllowedHosts, loopbackReachWarning } from './listener/index.ts';
import { loadSessionSecret, loadSharedSessionSecret } from './session/index.ts';
import { parsePublicUrl, parseTeacherKey, startupUrls } from './classroom/index.ts';
import { clientLimitsFromEnv } from './limits/index.ts';
import { loggerOptions, logSettingsFrom } from './logging/index.ts';
import { missingServerFlags } from './node-flags.ts';
import { prepareDataFolder } from './data-folder.ts';
import { DEFAULT_SHARED_CAPTURE_LIMITS } from './shared-captures/index.ts';

// The only reader of process.env: everything else gets its configuration as options.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.PORT ?? 8080);
// 127.0.0.1 by default; HOST=0.0.0.0 opens the server to a classroom LAN.
const host = process.env.HOST ?? '127.0.0.1';
const dataDir = resolve(process.env.DATA_DIR ?? join(root, 'data'));
const webRoot = process.argv.includes('--dev') ? null : join(root, 'dist', 'web');
const shutdownGraceMs = Number(process.env.SHUTDOWN_GRACE_MS ?? 10_000);
// PUBLIC_URL="http://10.0.0.5:8080": the join link and QR code name it (HAProxy or a forwarded port in front).
const publicUrl = parsePublicUrl(process.env.PUBLIC_URL);
// LOG_FORMAT, LOG_REQUESTS, LOG_LEVEL: readable lines on a terminal, JSON lines elsewhere (server/logging/).
const logSettings = logSettingsFrom(process.env, process.stdout.isTTY === true);

function megabytes(variable: string, raw: string): number {
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1) throw new Error(`${variable} must be a whole number of MiB ≥ 1, not "${raw}"`);
  return Number(raw) * 1024 * 1024;
}

// Settings that decide whom Wirelab believes, where "check my server" may connect (README, "Security settings"), and the teacher key (at least 16 characters).
let trustProxy: ReturnType<typeof parseTrustProxy>;
let ownServersDenyPorts: number[];
let allowedHosts: string[];
let teacherKey: string | undefined;
try {
  teacherKey = parseTeacherKey(process.env.TEACHER_KEY);
  allowedHosts = parseAllowedHosts(process.env.ALLOWED_HOSTS);
  trustProxy = parseTrustProxy(process.env.TRUST_PROXY);
  ownServersDenyPorts = parseDeniedPorts(process.env.OWN_SERVERS_DENY_PORTS);
} catch (error) {
  process.stderr.write(`Wirelab could not start / Wirelab не запустился: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

// Private when Wirelab makes it (DATA_DIR 0700, the database 0600); a folder others may read is warned about once listening.
const dataFolder = prepareDataFolder(dataDir);
// A failure to start (a data folder another Wirelab holds, a bad setting) is one readable line, not a stack.
const app = await buildApp({
  dataFile: dataFolder.databaseFile,
  webRoot,
  // TAP_MEMORY_MB: the heap every session's capture ring may hold together (server/tap/README.md).
  tap: process.env.TAP === 'off' ? false : process.env.TAP_MEMORY_MB ? { totalBytes: megabytes('TAP_MEMORY_MB', process.env.TAP_MEMORY_MB) } : {},
  // SHARED_CAPTURES_MB: what every capture shared by link may take together on disk (server/shared-captures/README.md).
  sharedCaptures: process.env.SHARED_CAPTURES_MB
    ? { limits: { total: { ...DEFAULT_SHARED_CAPTURE_LIMITS.total, bytes: megabytes('SHARED_CAPTURES_MB', process.env.SHARED_CAPTURES_MB) } } }
    : undefined,
  // The broker's sessions, queued and retained messages survive a restart, beside the database.
  mqtt: { dataDir: dataFolder.mqttDir },
  logger: loggerOptions(logSettings, process.stdout, process.env),
  requestLogging: logSettings.requests,
  // A course site that embeds Wirelab in an iframe: FRAME_ANCESTORS="https://course.example.edu".
  frameAncestors: process.env.FRAME_ANCESTORS,
  // Behind a reverse proxy that serves Wirelab under another origin: ALLOWED_ORIGINS="https://wirelab.example.edu".
  allowedOrigins: parseAllowedOrigins(process.env.ALLOWED_ORIGINS),
  // Host names requests may name besides this machine's, PUBLIC_URL's and ALLOWED_ORIGINS': ALLOWED_HOSTS="wirelab.example.edu,.lab.example.edu".
  allowedHosts,
  // Behind HAProxy with `send-proxy`: PROXY_PROTOCOL_FROM="10.0.0.5" (README, "Scaling out").
  proxyProtocolFrom: parseProxyProtocolFrom(process.env.PROXY_PROTOCOL_FROM),
  // Several instances of one deployment (README, "Scaling out") sign with one secret: SESSION_SECRET_FILE.
  sessionSecret: process.env.SESSION_SECRET_FILE ? loadSharedSessionSecret(process.env.SESSION_SECRET_FILE) : loadSessionSecret(dataDir),
  // The classroom's teacher key; without it the database keeps one of its own (kept across restarts).
  // PUBLIC_URL: what students type when it is not this process's address (HAProxy in front).
  classroom: { teacherKey, publicUrl },
  // LIMIT_<KIND>_PER_ADDRESS and LIMIT_<KIND>_SERVER (server/limits/README.md).
  clientLimits: clientLimitsFromEnv(process.env),
  // Past one process (README, "Scaling out"): every instance of a deployment is given the same Redis.
  // TRUST_PROXY="127.0.0.1" behind nginx on this machine: X-Forwarded-For names the student.
  trustProxy,
  // OWN_SERVERS_DENY_PORTS="5432,11211": ports "check my server" never connects to (REDIS_URL's is always denied).
  ownServersDenyPorts,
  scale: process.env.REDIS_URL
    ? { redisUrl: process.env.REDIS_URL, keyPrefix: process.env.REDIS_KEY_PREFIX || undefined, instanceId: process.env.INSTANCE_ID || undefined }
    : undefined,
}).catch((error: unknown) => {
  process.stderr.write(`Wirelab could not start / Wirelab не запустился: ${error instanceof Error ? error.message : String(error)}\n`);
  return process.exit(1);
});

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'draining in-flight requests and streams');
  // Streams that never end (a held connection) must not keep the process alive forever.
  const force = setTimeout(() => {
    app.log.warn('grace period over, exiting with connections still open');
    process.exit(1);
  }, shutdownGraceMs);
  force.unref();
  await app.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  await app.listen({ port, host });
  const urls = startupUrls({ host, port, teacherKey: app.classroom.teacherKey, interfaces: networkInterfaces(), publicUrl });
  app.log.info(`Wirelab is on ${urls.local} (HTTP/1.1, h2c and MQTT on this one port)`);
  for (const lan of urls.lan) app.log.info(`students on this network: ${lan}`);
  const reach = loopbackReachWarning({
    host,
    trustProxy: trustProxy !== null,
    ownServers: ownServersEnabled(),
    deniedPorts: ownServersDenyPorts,
    redisPort: redisDenial(process.env.REDIS_URL)?.port,
  });
  if (reach) app.log.warn(reach);
  if (dataFolder.warning) app.log.warn(dataFolder.warning);
  const missing = missingServerFlags();
  if (missing.length > 0) {
    app.log.warn(
      `started without ${missing.join(' ')} (npm start passes them): on a busy machine the garbage collector may stop every client for longer (server/node-flags.ts) / ` +
        `запущен без ${missing.join(' ')} (npm start их передаёт): на загруженной машине сборка мусора может останавливать всех клиентов дольше (server/node-flags.ts)`,
    );
  }
  // Printed, never logged: whoever has this link can run the classes. With JSON logs on stdout it
  // goes to stderr, so that stdout stays one JSON record a line.
  (logSettings.format === 'json' ? process.stderr : process.stdout).write(
    `\nTeacher (keep this link to yourself) / Преподаватель (ссылку никому не давайте):\n  ${urls.teacher.en}\n  ${urls.teacher.ru}\n\n`,
  );
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write(
      `Wirelab could not start: port ${port} on ${host} is in use (another Wirelab, or another program): stop it, or choose another port with PORT=… / ` +
        `Wirelab не запустился: порт ${port} на ${host} занят (другим Wirelab или другой программой): освободите его или выберите другой порт через PORT=…\n`,
    );
  } else app.log.error(error);
  process.exit(1);
}
