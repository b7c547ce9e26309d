import type { MercuriusContext } from 'mercurius';
import type { Domain } from '../../domain/index.ts';

/** What one request (or one WebSocket connection) cost: reported in `extensions.wirelab`. */
export class RequestMeter {
  storageQueries = 0;
  resolverCalls = 0;

  constructor(private readonly domain: Pick<Domain, 'statementsRun'>) {}

  /**
   * Runs one synchronous domain call and adds the SQL statements it executed. The domain is
   * synchronous, so no other request's statements can slip in between the two readings.
   */
  measure<T>(read: () => T): T {
    const before = this.domain.statementsRun;
    try {
      return read();
    } finally {
      this.storageQueries += this.domain.statementsRun - before;
    }
  }
}

/** Live subscriptions of one WebSocket connection (shared by its subscriptions' contexts). */
export interface ConnectionState {
  activeSubscriptions: number;
}

/** The context every resolver gets, over HTTP and over WebSocket alike. */
export interface WirelabContext extends MercuriusContext {
  domain: Domain;
  sandboxId: string;
  /** false when the request sent `x-wirelab-batching: off` */
  batching: boolean;
  meter: RequestMeter;
  /** only on WebSocket connections */
  connection?: ConnectionState;
}
