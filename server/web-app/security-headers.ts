import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface SecurityHeadersOptions {
  /**
   * Who may frame the app: a CSP source list (`'none'`, `'self'`, `https://course.example.edu`).
   * @default "'none'"
   */
  frameAncestors?: string;
}

/**
 * The page's Content-Security-Policy. Each source is one the built app was checked to need
 * (tests/e2e/csp.test.ts runs every kind of cell under it and fails on any violation):
 * - script-src 'self': no eval or new Function anywhere in the bundle, Monaco's workers included;
 * - worker-src 'self': Monaco's editor and JSON workers are our own hashed files, started with
 *   `new Worker(url)` by getWorker, so Monaco never needs its blob: bootstrap;
 * - style-src 'unsafe-inline': Monaco creates `<style>` elements at run time (theme, token colours)
 *   and renders its lines with `style` attributes; both are blocked without it and the editor does
 *   not lay out. Monaco sets no nonce, and attributes cannot carry one. Scripts stay strict;
 * - connect-src 'self': CSP 3's 'self' also matches ws:/wss: to the same host and port.
 */
export function contentSecurityPolicy(frameAncestors: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "worker-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

/** A source list goes into a header: a `;`, `,` or line break would smuggle in directives or headers. */
function checkedSourceList(sources: string): string {
  const trimmed = sources.trim();
  if (trimmed === '' || /[;,\r\n]/.test(trimmed)) {
    throw new Error(`frameAncestors must be a CSP source list such as 'none' or https://course.example.edu, got ${JSON.stringify(sources)}.`);
  }
  return trimmed;
}

/**
 * Headers every response carries, and the page's policy. nosniff goes on the raw response at the
 * start so that hijacked replies (SSE, Engine.IO) and gRPC carry it too. The CSP, Referrer-Policy
 * and no-cache go on HTML only: the inspector shows students every API response's headers, and a
 * policy on JSON would be noise that protects nothing.
 */
async function securityHeaders(app: FastifyInstance, options: SecurityHeadersOptions): Promise<void> {
  const frameAncestors = checkedSourceList(options.frameAncestors ?? "'none'");
  const policy = contentSecurityPolicy(frameAncestors);

  app.addHook('onRequest', async (_request, reply) => {
    reply.raw.setHeader('x-content-type-options', 'nosniff');
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (!type.startsWith('text/html')) return payload;
    reply.header('content-security-policy', policy);
    // Same-origin requests keep their full Referer and Origin (what the inspector teaches); other
    // sites get the origin only. no-referrer would send `Origin: null` on every same-origin POST.
    reply.header('referrer-policy', 'strict-origin-when-cross-origin');
    // The page names this release's hashed assets: revalidate it each time. @fastify/static would
    // say `public, max-age=0`, which lets a shared cache keep a page that sets a student's cookie.
    reply.header('cache-control', reply.hasHeader('set-cookie') ? 'private, no-cache' : 'no-cache');
    return payload;
  });
}

export default fp(securityHeaders, { name: 'wirelab-security-headers' });
