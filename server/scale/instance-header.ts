import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

/** Names the instance that answered, on every HTTP response of a scaled-out deployment. */
export const INSTANCE_HEADER = 'x-wirelab-instance';

const HEADER_VALUE = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Behind a load balancer the admin (and the tests) must see where a request landed: pinned or
 * not, which instance died. Set on the raw response, so SSE and long polls, which write their own
 * head, carry it too. Nothing without Redis: one process has nothing to tell apart.
 */
async function instanceHeader(app: FastifyInstance): Promise<void> {
  if (!app.scale) return;
  const { instanceId } = app.scale;
  if (!HEADER_VALUE.test(instanceId)) throw new Error(`INSTANCE_ID must be 1–64 of A–Z a–z 0–9 . _ -, not "${instanceId}"`);
  app.addHook('onRequest', async (_request, reply) => {
    reply.raw.setHeader(INSTANCE_HEADER, instanceId);
  });
}

export default fp(instanceHeader, { name: 'wirelab-instance-header', dependencies: ['wirelab-scale'] });
