/** The pipeline lab's bounds (README.md beside this file, "Limits"; the repo README's limits table). */
export interface PipelineLimits {
  /** consumers (the notifier, fan-out subscribers and group members together) per sandbox. @default 6 */
  maxConsumers: number;
  /** slowdown a consumer may be given, per message. @default 10_000 */
  maxDelayMs: number;
  /** QoS 1 messages the broker keeps for one lab consumer (its backlog); newer ones are not stored for it. @default 200 */
  maxBacklog: number;
  /** labs with open MQTT connections at once, all sandboxes; past it the least recently used lab is put to sleep. @default 200 */
  maxOpenLabs: number;
  /** an address at its lab budget (server/limits/, `pipelineLab`) puts its own least recently used lab to sleep when nobody watched or used it this long; else 429. @default 60 s */
  reclaimIdleMs: number;
  /** a lab nobody asked anything for this long is put to sleep (its consumers disconnect; their sessions stay in the broker). @default 30 min */
  idleMs: number;
  /** event streams of the lab per session (else per sandbox and address). @default 4 */
  maxStreamsPerSession: number;
  /** consumer changes (PUT, DELETE) per session (else per sandbox and address) in each window: each one opens or closes MQTT connections. @default 30 per 10 s */
  maxChanges: { count: number; windowMs: number };
}

export const DEFAULT_PIPELINE_LIMITS: PipelineLimits = {
  // Room for the notifier, two fan-out subscribers and three group members.
  maxConsumers: 6,
  maxDelayMs: 10_000,
  // A slowed worker's queue grows visibly; a loop publishing forever cannot fill the disk.
  maxBacklog: 200,
  maxOpenLabs: 200,
  // A page holds the lab's event stream while it is open: a minute without it or a request is a closed page.
  reclaimIdleMs: 60_000,
  idleMs: 30 * 60_000,
  maxStreamsPerSession: 4,
  maxChanges: { count: 30, windowMs: 10_000 },
};

/** How deep a request body may nest: the lab's bodies are flat objects, so anything deeper is refused before it is parsed. */
export const MAX_BODY_DEPTH = 8;

/** Where the lab's routes live. */
export const PIPELINE_PATH = '/api/v1/pipeline';

/** The consumer group's name, its partitions (`orders/0` … `orders/2`) and what a 503 asks the caller to wait. */
export const GROUP_NAME = 'workers';
export const PARTITIONS = 3;
export const RETRY_AFTER_S = 5;

/** Topics of the lab (a sandbox's own, as every client sees them). */
export const ORDERS_FILTER = 'orders/#';
export const NOTIFICATIONS_PREFIX = 'notifications/';

/**
 * Client ids of the lab's consumers start with this (`pipeline/notifier`, `pipeline/workers/p0`),
 * so a student's own `-i notifier` never takes a lab consumer's session over.
 */
export const LAB_CLIENT_PREFIX = 'pipeline/';

/** The built-in consumer: the notification worker the REST call goes to. */
export const NOTIFIER = 'notifier';

/** A consumer's name: short, lower case, usable in a topic level and a client id. */
export const CONSUMER_NAME = /^[a-z][a-z0-9-]{0,19}$/;
