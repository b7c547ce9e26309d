/**
 * Budgets that hold per client address, not per cookie (a client chooses its cookie, not its
 * address). Every number is documented in README.md beside this file and in the repo README's
 * limits table; main.ts reads overrides from the environment (`clientLimitsFromEnv`).
 *
 * How the defaults were chosen: a classroom of 40 students may reach the server through one NAT
 * address, so a per-address cap is 40 students × what one student's lesson page plausibly holds
 * (a few tabs), and it stays well below the server-wide cap, so one address never takes every
 * slot from the others.
 */

/** Kinds of long-lived connection counted per address and on the whole server. */
export type ConnectionKind = 'sse' | 'longPoll' | 'engineIo' | 'websocket' | 'graphqlWs' | 'grpcRunner' | 'mqtt' | 'pipelineLab' | 'h2OpenStreams';

/** Kinds of request counted per address in a sliding budget (a token bucket). */
export type RateKind =
  | 'rest'
  | 'graphql'
  | 'grpc'
  | 'grpcBytes'
  | 'writes'
  | 'sessions'
  | 'sandboxes'
  | 'classJoins'
  | 'classProgress'
  | 'teacherKeys'
  | 'h2Streams';

export interface SlotLimit {
  /** open at once from one client address */
  perAddress: number;
  /** open at once on the whole server */
  server: number;
}

export interface RateLimit {
  /** requests from one address per window (also the burst) */
  perAddress: number;
  windowMs: number;
}

/**
 * Refused and paced at the socket, before anything is parsed (address-gate.ts): the TCP
 * connections one address may hold, and the requests and bytes it may send per window (token
 * buckets; past them its connections are paused, not refused).
 */
export interface PacingLimits {
  connectionsPerAddress: number;
  /** per window, also the largest burst */
  requestsPerAddress: number;
  /** per window */
  bytesPerAddress: number;
  /** the largest burst of bytes: smaller than a window's worth, so big bodies come spread out */
  bytesBurstPerAddress: number;
  /**
   * reads one address gets given to the parser in one turn of the event loop; the rest of its
   * reads that turn wait for the next turns (address-gate.ts: round robin between addresses)
   */
  readsPerTurnPerAddress: number;
  windowMs: number;
}

export interface ClientLimits {
  connections: Record<ConnectionKind, SlotLimit>;
  rates: Record<RateKind, RateLimit>;
  pacing: PacingLimits;
}

export const DEFAULT_CLIENT_LIMITS: ClientLimits = {
  connections: {
    // Per session: 6 streams, 6 held polls, 20 Engine.IO sessions, 20 /ws/* sockets, 4 runner
    // channels, 20 MQTT connections. A student's page holds one or two of each; 4 per student fits 40.
    sse: { perAddress: 160, server: 1000 },
    longPoll: { perAddress: 160, server: 1000 },
    engineIo: { perAddress: 160, server: 2000 },
    websocket: { perAddress: 160, server: 2000 },
    // The server-wide 256 is GraphQL's own cap (server/protocols/graphql/limits.ts): 2 per student.
    graphqlWs: { perAddress: 80, server: 256 },
    grpcRunner: { perAddress: 80, server: 256 },
    mqtt: { perAddress: 160, server: 2000 },
    // Awake pipeline labs (lesson 13), each holding up to nine MQTT connections of its own: one
    // per student's sandbox, two browsers each for 40 students; the server's 200 is the lab's
    // maxOpenLabs (past it the least recently used lab sleeps instead of a refusal).
    pipelineLab: { perAddress: 80, server: 200 },
    // HTTP/2 streams open at once (h2c: gRPC clients, the gRPC runner from the server itself on
    // loopback; browsers speak HTTP/1.1 here): the 80 runner channels of an address with a few
    // calls each, or 40 students' own gRPC tools with a dozen streams each. A stream held open
    // by a zero window counts until the stall ends its session.
    h2OpenStreams: { perAddress: 512, server: 4096 },
  },
  rates: {
    // A student clicking Run sends a request every few seconds; 25 per 10 s each for 40 of them.
    rest: { perAddress: 1000, windowMs: 10_000 },
    graphql: { perAddress: 1000, windowMs: 10_000 },
    grpc: { perAddress: 1000, windowMs: 10_000 },
    // Bytes of gRPC/Connect request bodies (1 MiB each at most): a lesson's messages are a few
    // hundred bytes, so 40 students send well under this; a client echoing 1 MB bodies gets 1.6 a second.
    grpcBytes: { perAddress: 16 * 1024 * 1024, windowMs: 10_000 },
    // Changes to the data (REST POST/PUT/PATCH/DELETE, each GraphQL mutation field, gRPC
    // Create/Update/Delete): a student changes something every few seconds at most; a class of
    // 40 all clicking Create at once fits twice over.
    writes: { perAddress: 200, windowMs: 10_000 },
    // A session is a browser's first visit (its cookie): a class arriving, each student with a
    // few browsers, fits several times over; a script minting ids by the thousand does not.
    sessions: { perAddress: 200, windowMs: 60_000 },
    // A sandbox is a browser's first visit: the whole class arriving at once, twice over, per minute.
    sandboxes: { perAddress: 80, windowMs: 60_000 },
    // The classroom (server/classroom/): a class joining at once, with a few retries each; a
    // student reports a pass or a shown miss every few seconds at the very most.
    classJoins: { perAddress: 20, windowMs: 60_000 },
    classProgress: { perAddress: 240, windowMs: 60_000 },
    // Wrong teacher keys (wrong-teacher-keys.ts): a teacher mistyping a few times never meets it;
    // a guesser gets 10 a minute (14 400 a day) instead of hundreds a second.
    teacherKeys: { perAddress: 10, windowMs: 60_000 },
    // HTTP/2 streams opened (each gRPC call over h2c is one): as many as the socket's pace reads
    // (200 a second, a burst of 2 000), counted whether or not the client resets them at once, so
    // a rapid reset (CVE-2023-44487) gets 2 000 streams, then every further one is refused.
    h2Streams: { perAddress: 2000, windowMs: 10_000 },
  },
  pacing: {
    // Every long-lived kind above at its per-address cap (about 1 000 together) plus a few
    // browser connections per student: a class behind one NAT address never meets it.
    connectionsPerAddress: 1024,
    // 200 requests a second, 5 per student of a class of 40, and a burst of 2 000 (40 students
    // loading a lesson page at once); past it a class is slowed, never refused. A flooding
    // script gets 200 a second read instead of as many as the CPU allows.
    requestsPerAddress: 2000,
    // What the gRPC bodies' budget lets through, for every protocol: 1.6 MiB a second (a class
    // sends a few hundred bytes per click). It binds the bodies that budget would refuse too, so
    // a client sending 1 MB echoes gets at most 1.6 a second read at all — and, with a burst of
    // 2 MiB, two at once at most: each holds the event loop for tens of milliseconds, and 16 in a
    // row (a window's worth) stalled every student for half a second in bench/soak.ts.
    bytesPerAddress: 16 * 1024 * 1024,
    bytesBurstPerAddress: 2 * 1024 * 1024,
    // One turn of the event loop reads every socket that has data and runs what each read starts
    // before the loop looks at the network again: a script with 60 requests in flight made every
    // student whose request arrived meanwhile wait for all 60 (bench/soak.ts, issue 40). Two reads
    // an address a turn: a student waits for two of the flood's reads, not sixty; a class behind
    // one NAT address loses nothing (a turn lasts a millisecond or two when nobody floods).
    readsPerTurnPerAddress: 2,
    windowMs: 10_000,
  },
};

/** The environment variable of every number, e.g. `LIMIT_SSE_PER_ADDRESS`, `LIMIT_REST_PER_ADDRESS`. */
export function limitVariable(kind: ConnectionKind | RateKind, scope: 'perAddress' | 'server'): string {
  const name = kind.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
  return `LIMIT_${name}_${scope === 'perAddress' ? 'PER_ADDRESS' : 'SERVER'}`;
}

/**
 * The defaults with every `LIMIT_…` variable of `env` applied. A value that is not a whole
 * number ≥ 1 is an error: a typo must not silently switch a budget off.
 */
export function clientLimitsFromEnv(env: Record<string, string | undefined>): ClientLimits {
  const read = (variable: string, fallback: number): number => {
    const raw = env[variable];
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw new Error(`${variable} must be a whole number ≥ 1, not "${raw}"`);
    return Number(raw);
  };
  const connections = {} as ClientLimits['connections'];
  for (const [kind, limit] of Object.entries(DEFAULT_CLIENT_LIMITS.connections) as [ConnectionKind, SlotLimit][]) {
    connections[kind] = { perAddress: read(limitVariable(kind, 'perAddress'), limit.perAddress), server: read(limitVariable(kind, 'server'), limit.server) };
  }
  const rates = {} as ClientLimits['rates'];
  for (const [kind, limit] of Object.entries(DEFAULT_CLIENT_LIMITS.rates) as [RateKind, RateLimit][]) {
    rates[kind] = { perAddress: read(limitVariable(kind, 'perAddress'), limit.perAddress), windowMs: limit.windowMs };
  }
  const pacing = { ...DEFAULT_CLIENT_LIMITS.pacing };
  for (const [key, variable] of Object.entries(PACING_VARIABLES) as [Exclude<keyof PacingLimits, 'windowMs'>, string][]) {
    pacing[key] = read(variable, pacing[key]);
  }
  return { connections, rates, pacing };
}

/** The environment variables of the socket-level pacing (address-gate.ts). */
export const PACING_VARIABLES: Record<Exclude<keyof PacingLimits, 'windowMs'>, string> = {
  connectionsPerAddress: 'LIMIT_CONNECTIONS_PER_ADDRESS',
  requestsPerAddress: 'LIMIT_PACED_REQUESTS_PER_ADDRESS',
  bytesPerAddress: 'LIMIT_PACED_BYTES_PER_ADDRESS',
  bytesBurstPerAddress: 'LIMIT_PACED_BYTES_BURST_PER_ADDRESS',
  readsPerTurnPerAddress: 'LIMIT_PACED_READS_PER_TURN_PER_ADDRESS',
};

/** Deep-merges partial overrides (tests, benchmarks) into the defaults. */
export function withClientLimits(overrides: PartialClientLimits = {}): ClientLimits {
  const connections = { ...DEFAULT_CLIENT_LIMITS.connections };
  for (const [kind, limit] of Object.entries(overrides.connections ?? {}) as [ConnectionKind, Partial<SlotLimit>][]) {
    connections[kind] = { ...connections[kind], ...limit };
  }
  const rates = { ...DEFAULT_CLIENT_LIMITS.rates };
  for (const [kind, limit] of Object.entries(overrides.rates ?? {}) as [RateKind, Partial<RateLimit>][]) {
    rates[kind] = { ...rates[kind], ...limit };
  }
  return { connections, rates, pacing: { ...DEFAULT_CLIENT_LIMITS.pacing, ...overrides.pacing } };
}

export interface PartialClientLimits {
  connections?: Partial<Record<ConnectionKind, Partial<SlotLimit>>>;
  rates?: Partial<Record<RateKind, Partial<RateLimit>>>;
  pacing?: Partial<PacingLimits>;
}
