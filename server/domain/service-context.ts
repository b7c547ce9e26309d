import type { Db } from './database.ts';
import type { EventBus } from './event-bus.ts';
import type { InSandbox } from './sandboxes.ts';
import type { Statements } from './statements.ts';

/** What every service of the domain works with. */
export interface ServiceContext {
  db: Db;
  statements: Statements;
  now: () => Date;
  events: EventBus;
  ensureSandbox(sandboxId: string): void;
  inSandbox: InSandbox;
}
