import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from '../session/session-id.ts';
import sessionHomes from './session-homes.ts';

/** Names the instance that answered, on every HTTP response of a scaled-out deployment. */
export const INSTANCE_HEADER = 'x-wirelab-instance';

const HEADER_VALUE = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * What a scaled-out instance does for the load balancer in front (deploy/haproxy/haproxy.cfg).
 * Nothing without Redis: one process has nothing to tell apart and nobody to be pinned to.
 */
async function loadBalancerHooks(app: FastifyInstance): Promise<void> {
  // a session's capture and class channels follow its new connections to the instance the load
  // balancer sends them to (`app.sessionChannels`, in one process too, where nothing moves)
  await app.register(sessionHomes);
  if (!app.scale) return;
  const { instanceId } = app.scale;
  if (!HEADER_VALUE.test(instanceId)) throw new Error(`INSTANCE_ID must be 1–64 of A–Z a–z 0–9 . _ -, not "${instanceId}"`);

  // The admin (and the tests) must see where a request landed: pinned or not, which instance
  // died. Set on the raw response, so SSE and long polls, which write their own head, carry it.
  app.addHook('onRequest', async (_request, reply) => {
    reply.raw.setHeader(INSTANCE_HEADER, instanceId);
  });

  // HAProxy pins an HTTP/1.1 connection by the cookie of its first request and passes its bytes
  // through untouched (so the inspector shows what the student sent). A connection that began
  // without a cookie was pinned by the client's address; once it hands out a new session, it is
  // closed, so the browser's next requests come on connections that carry the cookie and reach
  // the instance the cookie is pinned to. (HTTP/2 has no Connection header and is pinned by
  // address anyway.)
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.raw.httpVersionMajor !== 1) return payload;
    const setCookie = reply.getHeader('set-cookie');
    const values = Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [String(setCookie)];
    if (values.some((value) => value.startsWith(`${SESSION_COOKIE}=`))) reply.header('connection', 'close');
    return payload;
  });
}

export default fp(loadBalancerHooks, { name: 'wirelab-load-balancer-hooks', dependencies: ['wirelab-scale'] });
