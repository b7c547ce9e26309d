import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { AddressBudget } from './address-budget.ts';
import { withClientLimits, type PartialClientLimits } from './client-limits.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Budgets per client address and per server (server/limits/README.md). */
    clientBudget: AddressBudget;
  }
}

export interface LimitsPluginOptions {
  limits?: PartialClientLimits;
  /** the budget the app made already (app.ts: the listener counts HTTP/2 streams in it too); else one of `limits` */
  budget?: AddressBudget;
}

async function limitsPlugin(app: FastifyInstance, options: LimitsPluginOptions): Promise<void> {
  app.decorate('clientBudget', options.budget ?? new AddressBudget(withClientLimits(options.limits)));
}

export default fp(limitsPlugin, { name: 'wirelab-limits' });
