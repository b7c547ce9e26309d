import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startRedisServer, type RunningRedis } from '../integration/redis-server.ts';
import { SERVER_NODE_FLAGS } from '../../server/node-flags.ts';

/** How main.ts says its port is taken (in words since c1292629: no EADDRINUSE stack to match). */
export const PORT_IN_USE = /port \d+ on \S+ is in use/;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The file an admin copies (README, "Scaling out"): the tests run it, rewritten to loopback. */
export const HAPROXY_CONFIG = join(root, 'deploy/haproxy/haproxy.cfg');
const HAPROXY = '/usr/sbin/haproxy';
export const TEACHER_KEY = 'scale-test-teacher-key-0123456789';

export interface Instance {
  /** INSTANCE_ID, the `server` name in HAProxy and the value of x-wirelab-instance. */
  readonly id: string;
  readonly port: number;
  readonly origin: string;
  readonly dataDir: string;
  process: ChildProcess;
  /** Ends the process with this signal and waits for it (SIGKILL: the failure drill). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and DATA_DIR (after kill). */
  restart(): Promise<void>;
  /** What it printed (stdout and stderr), for failure messages. */
  output(): string;
}

export interface LoadBalancer {
  readonly port: number;
  readonly origin: string;
  /** Backend → server → HAProxy's status of it ("UP", "DOWN", "MAINT"…), from its stats socket. */
  serverStatus(): Promise<Map<string, string>>;
  /** How many connections (sessions) a backend has taken since HAProxy started: which one a client went through. */
  backendSessions(backend: string): Promise<number>;
  /** Server → connections open to it now (scur) in one backend: where a TCP client (MQTT) landed. */
  openConnections(backend: string): Promise<Map<string, number>>;
  /** Waits until HAProxy holds `server` in every backend at `status`. */
  waitForStatus(server: string, status: 'UP' | 'DOWN', timeoutMs?: number): Promise<void>;
}

export interface Cluster {
  readonly redis: RunningRedis;
  readonly instances: Instance[];
  readonly lb: LoadBalancer;
  readonly keyPrefix: string;
  readonly sessionSecretFile: string;
  /**
   * Another HAProxy in front of the same instances, its config edited first (a broken one, to
   * show what the template's lines prevent); stopped with the cluster.
   */
  extraLoadBalancer(edit: (config: string) => string): Promise<LoadBalancer>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Default 2. */
  instances?: number;
  /** Extra environment for every instance (limits for the benchmark, LOG_LEVEL…). */
  env?: Record<string, string>;
  /** false: instances only, no HAProxy (the benchmark talks to the instances). */
  loadBalancer?: boolean;
  /** A Redis already running (two clusters on one Redis); default: one of its own. */
  redis?: RunningRedis;
  /** true: the instances serve the built pages too (dist/web: end-to-end tests in a browser). Default false. */
  web?: boolean;
}

/** Every process this module started, killed if the test process exits without stop(). */
const started = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function track(child: ChildProcess): { output: () => string; exited: Promise<void> } {
  let output = '';
  started.add(child);
  child.stdout?.on('data', (chunk) => (output = (output + chunk).slice(-64_000)));
  child.stderr?.on('data', (chunk) => (output = (output + chunk).slice(-64_000)));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      started.delete(child);
      resolve();
    }),
  );
  return { output: () => output, exited };
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, details: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${details()}`);
    await sleep(50);
  }
}

/** Is something accepting TCP connections on this loopback port? */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

interface InstanceConfig {
  id: string;
  /** serve dist/web (no --dev) */
  web?: boolean;
  port: number;
  dataDir: string;
  env: Record<string, string>;
}

/**
 * `node --import tsx server/main.ts`, as `npm start` runs it, but `--dev`: the protocols without
 * the built pages (nothing here reads a page, and the tests must not depend on `vite build`).
 */
function spawnInstance(config: InstanceConfig): Promise<{ child: ChildProcess; output: () => string; exited: Promise<void> }> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'server/main.ts', ...(config.web ? [] : ['--dev'])], {
    cwd: root,
    env: { ...process.env, ...config.env, PORT: String(config.port), HOST: '127.0.0.1', DATA_DIR: config.dataDir, INSTANCE_ID: config.id },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tracked = track(child);
  // main.ts writes the teacher link once it listens, whatever LOG_LEVEL says.
  return waitFor(
    `instance ${config.id} to listen`,
    () => {
      if (child.exitCode !== null) throw new Error(`instance ${config.id} exited with ${child.exitCode}:\n${tracked.output()}`);
      return tracked.output().includes('Teacher (keep this link');
    },
    60_000,
    tracked.output,
  ).then(() => ({ child, ...tracked }));
}

async function startInstance(config: InstanceConfig): Promise<Instance> {
  let current = await spawnInstance(config);
  const instance: Instance = {
    id: config.id,
    port: config.port,
    origin: `http://127.0.0.1:${config.port}`,
    dataDir: config.dataDir,
    process: current.child,
    output: () => current.output(),
    async kill(signal = 'SIGKILL') {
      if (current.child.exitCode === null && current.child.signalCode === null) current.child.kill(signal);
      const timeout = setTimeout(() => current.child.kill('SIGKILL'), 15_000);
      await current.exited;
      clearTimeout(timeout);
    },
    async restart() {
      await instance.kill();
      current = await spawnInstance(config);
      instance.process = current.child;
    },
  };
  return instance;
}

/**
 * deploy/haproxy/haproxy.cfg as the tests run it: the front end on a loopback port, one `server`
 * line per instance in each backend (the template's first one rewritten, the others dropped), no
 * syslog, and a stats socket to read the servers' state. Everything else is the admin's file.
 */
export function renderHaproxyConfig(template: string, bindPort: number, instances: Array<{ id: string; port: number }>, statsSocket: string): string {
  const lines: string[] = [];
  for (const line of template.split('\n')) {
    if (/^\s*log \/dev\/log/.test(line)) continue;
    if (/^global\s*$/.test(line)) {
      lines.push(line, `    stats socket ${statsSocket} mode 600 level admin`);
      continue;
    }
    const bind = /^(\s*)bind :\d+\s*$/.exec(line);
    if (bind) {
      lines.push(`${bind[1]}bind 127.0.0.1:${bindPort}`);
      continue;
    }
    const server = /^(\s*)server \S+ \S+(.*)$/.exec(line);
    if (server) {
      // The template's first server line of a backend stands for all of them.
      if (!/^\s*server /.test(lines[lines.length - 1] ?? '')) {
        for (const instance of instances) lines.push(`${server[1]}server ${instance.id} 127.0.0.1:${instance.port}${server[2]}`);
      }
      continue;
    }
    lines.push(line);
  }
  return lines.join('\n');
}

/** One command on HAProxy's stats socket (a UNIX socket; no socat needed). */
function haproxyCommand(socketPath: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (answer += chunk));
    socket.once('error', reject);
    socket.once('end', () => resolve(answer));
    socket.once('connect', () => socket.end(`${command}\n`));
  });
}

async function startHaproxy(
  workDir: string,
  instances: Instance[],
  edit: (config: string) => string = (config) => config,
): Promise<{ lb: LoadBalancer; child: ChildProcess; exited: Promise<void> }> {
  const name = `haproxy-${randomBytes(3).toString('hex')}`;
  const statsSocket = join(workDir, `${name}.sock`);
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const configFile = join(workDir, `${name}.cfg`);
    writeFileSync(configFile, renderHaproxyConfig(edit(readFileSync(HAPROXY_CONFIG, 'utf8')), port, instances, statsSocket));
    // -db: foreground, no daemon; -W is not wanted (one process, killed by the test).
    const child = spawn(HAPROXY, ['-db', '-f', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    const tracked = track(child);
    try {
      await waitFor(
        'haproxy to listen',
        async () => {
          if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}:\n${tracked.output()}`);
          // its stats socket too: on a loaded machine HAProxy accepted on its port before the
          // socket's file was there, and the first "show stat" failed with connect ENOENT
          return (
            (await accepts(port)) &&
            (await haproxyCommand(statsSocket, 'show info').then(
              () => true,
              () => false,
            ))
          );
        },
        10_000,
        tracked.output,
      );
    } catch (error) {
      child.kill('SIGKILL');
      await tracked.exited;
      if (attempt < 3 && tracked.output().includes('Address already in use')) continue;
      throw error;
    }
    // "show stat": CSV, "# pxname,svname,…" then one line per frontend, server and backend.
    const stats = async () => {
      const csv = await haproxyCommand(statsSocket, 'show stat');
      const [header, ...rows] = csv.trim().split('\n');
      const columns = header!.replace(/^# /, '').split(',');
      return rows.map((row) => {
        const cells = row.split(',');
        return (column: string) => cells[columns.indexOf(column)] ?? '';
      });
    };
    const serverStatus = async () => {
      const statuses = new Map<string, string>();
      for (const row of await stats()) {
        if (row('svname') !== 'FRONTEND' && row('svname') !== 'BACKEND') statuses.set(`${row('pxname')}/${row('svname')}`, row('status'));
      }
      return statuses;
    };
    const backendSessions = async (backend: string) => {
      const row = (await stats()).find((line) => line('pxname') === backend && line('svname') === 'BACKEND');
      if (!row) throw new Error(`haproxy has no backend ${backend}`);
      return Number(row('stot'));
    };
    const openConnections = async (backend: string) => {
      const open = new Map<string, number>();
      for (const row of await stats()) {
        if (row('pxname') === backend && row('svname') !== 'FRONTEND' && row('svname') !== 'BACKEND') open.set(row('svname'), Number(row('scur')));
      }
      return open;
    };
    const lb: LoadBalancer = {
      port,
      origin: `http://127.0.0.1:${port}`,
      serverStatus,
      backendSessions,
      openConnections,
      async waitForStatus(server, status, timeoutMs = 15_000) {
        let last = new Map<string, string>();
        await waitFor(
          `haproxy to see ${server} ${status}`,
          async () => {
            last = await serverStatus();
            const mine = [...last].filter(([name]) => name.endsWith(`/${server}`));
            // "UP 1/2" while rising, "DOWN 1/2" while falling: only the settled state counts.
            return mine.length > 0 && mine.every(([, state]) => state === status);
          },
          timeoutMs,
          () => JSON.stringify([...last]),
        );
      },
    };
    try {
      for (const instance of instances) await lb.waitForStatus(instance.id, 'UP');
    } catch (error) {
      // the caller never gets this HAProxy to stop: it would outlive the test run
      child.kill('SIGKILL');
      await tracked.exited;
      throw error;
    }
    return { lb, child, exited: tracked.exited };
  }
}

/**
 * Debian's redis-server, N Wirelab instances (their own PORT and DATA_DIR, one REDIS_URL, one
 * SESSION_SECRET_FILE, one TEACHER_KEY) and Debian's HAProxy with deploy/haproxy/haproxy.cfg in
 * front, all on loopback; stop() kills every process and removes the folders.
 */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const count = options.instances ?? 2;
  const workDir = mkdtempSync(join(tmpdir(), 'wirelab-cluster-'));
  const ownRedis = !options.redis;
  const redis = options.redis ?? (await startRedisServer());
  const instances: Instance[] = [];
  let haproxy: Awaited<ReturnType<typeof startHaproxy>> | undefined;
  const extraHaproxies: Array<Awaited<ReturnType<typeof startHaproxy>>> = [];
  const keyPrefix = `wl-${randomBytes(3).toString('hex')}:`;
  const sessionSecretFile = join(workDir, 'session-secret');
  writeFileSync(sessionSecretFile, randomBytes(32), { mode: 0o600 });
  const stop = async () => {
    for (const running of [haproxy, ...extraHaproxies]) {
      if (!running) continue;
      running.child.kill('SIGKILL');
      await running.exited;
    }
    await Promise.all(instances.map((instance) => instance.kill()));
    if (ownRedis) await redis.stop();
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const configs: InstanceConfig[] = [];
    for (let index = 0; index < count; index++) {
      const id = `wirelab-${String.fromCharCode(97 + index)}`;
      configs.push({
        id,
        web: options.web,
        port: await freePort(),
        dataDir: mkdtempSync(join(workDir, `${id}-`)),
        env: {
          REDIS_URL: redis.url,
          REDIS_KEY_PREFIX: keyPrefix,
          SESSION_SECRET_FILE: sessionSecretFile,
          TEACHER_KEY,
          // HAProxy's `send-proxy` (deploy/haproxy/haproxy.cfg) names each client; tests that reach an instance directly send no header
          PROXY_PROTOCOL_FROM: '127.0.0.1',
          LOG_LEVEL: 'warn',
          SHUTDOWN_GRACE_MS: '2000',
          ...options.env,
        },
      });
    }
    // The port was free a moment ago; another test may have taken it since: try another.
    const startOnAFreePort = async (config: InstanceConfig): Promise<Instance> => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await startInstance(config);
        } catch (error) {
          if (attempt >= 3 || !PORT_IN_USE.test(String(error))) throw error;
          config.port = await freePort();
        }
      }
    };
    instances.push(...(await Promise.all(configs.map(startOnAFreePort))));
    if (options.loadBalancer !== false) haproxy = await startHaproxy(workDir, instances);
  } catch (error) {
    await stop();
    throw error;
  }
  const lb = haproxy?.lb ?? {
    port: 0,
    origin: '',
    serverStatus: () => Promise.reject(new Error('no load balancer in this cluster')),
    backendSessions: () => Promise.reject(new Error('no load balancer in this cluster')),
    openConnections: () => Promise.reject(new Error('no load balancer in this cluster')),
    waitForStatus: () => Promise.reject(new Error('no load balancer in this cluster')),
  };
  const extraLoadBalancer = async (edit: (config: string) => string) => {
    const running = await startHaproxy(workDir, instances, edit);
    extraHaproxies.push(running);
    return running.lb;
  };
  return { redis, instances, lb, keyPrefix, sessionSecretFile, extraLoadBalancer, stop };
}
