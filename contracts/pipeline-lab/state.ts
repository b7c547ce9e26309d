// The pipeline lab's state and notifications (lesson 13), once for both ends: the server builds
// its answers with these (server/protocols/mqtt/pipeline/), the cell reads them
// (web/editors/pipeline/). PROTOCOL.md beside this file says where each travels. Pure TypeScript.

import type { Bilingual } from '../../shared/bilingual.ts';

/** A subscriber has a session of its own; a member reads through the group's partitions. */
export type ConsumerRole = 'subscriber' | 'member';

export interface ConsumerState {
  role: ConsumerRole;
  clientId: string | null;
  running: boolean;
  connected: boolean;
  busy: boolean;
  delayMs: number;
  processed: number;
  /** subscribers: the broker's messages for this consumer's session; members: the sum over the partitions they read */
  backlog: number;
  /** messages the broker did not store for this consumer because its backlog was full */
  dropped: number;
  partitions?: number[];
  /** what is wrong now */
  error: Bilingual | null;
  /** what the lab did by itself: reconnected after losing the connection, restarted after a failure */
  notice: Bilingual | null;
}

export interface PartitionState {
  partition: number;
  topic: string;
  clientId: string;
  owner: string | null;
  /** the owner's connection holds the partition's session and its subscription */
  reading: boolean;
  backlog: number;
}

export interface LabState {
  sandbox: string;
  /**
   * Grows with each state the server begins to read (in this process): a reader that gets states
   * both from the event stream and from the answers to its changes keeps the highest, since an
   * answer may reach it after the stream's newer states.
   */
  revision: number;
  consumers: Record<string, ConsumerState>;
  group: { name: string; partitions: PartitionState[]; backlog: number } | null;
  limits: { maxConsumers: number; maxDelayMs: number; maxBacklog: number; partitions: number };
}

/** The notification a consumer publishes on `notifications/<name>` for each order it handled. */
export interface Notification {
  /** the order as published (its JSON, else its text); null when it was left out because it would not fit (`orderBytes`) */
  order: unknown;
  /** present when the order was left out: its size in bytes, too large for the notification's one MQTT packet */
  orderBytes?: number;
  by: string;
  via: 'broker' | 'rest';
  topic?: string;
  group?: string;
  partition?: number;
  /** the order was published while this consumer (or the group's partition) was down */
  whileDown: boolean;
  /** this consumer (or partition) began this very order before and never acknowledged it: the broker sent it again */
  redelivered: boolean;
  /** the DUP flag of the delivery as the broker set it (aedes 1.2.0 leaves it off on a resend after reconnect) */
  dup: boolean;
  /** the broker delivered a retained message (RETAIN set on delivery: only for a new subscription) */
  retained: boolean;
  /** from the broker accepting the order to this consumer finishing it; null if the lab did not see it published */
  queuedMs: number | null;
  /** messages still waiting for this consumer (its partition, for a member) after this one; absent when the broker's store could not be asked (its Redis unreachable) */
  backlog?: number;
  /** every consumer that has finished this very order so far, this one last: two or more is fan-out */
  handledBy: string[];
  /** for a group member: the group's running members when it finished the order */
  members?: number;
}
