import { readdirSync } from 'node:fs';
import { connect } from 'node:http2';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, WEB_ROOT } from '../e2e/browser.ts';
import { startServer, type RunningServer } from './start-server.ts';

// The headers of every kind of response a real server gives: the page's policy on HTML, nosniff
// everywhere (assets, JSON, problem+json, Connect, gRPC over h2c, a hijacked SSE stream, Engine.IO).

let server: RunningServer;

beforeAll(async () => {
  assertBuilt();
  server = await startServer({ webRoot: WEB_ROOT });
});
afterAll(async () => {
  await server?.close();
});

function directives(policy: string | null): Map<string, string> {
  return new Map(
    (policy ?? '')
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name, ...sources] = part.split(/\s+/);
        return [name, sources.join(' ')];
      }),
  );
}

describe('the pages', () => {
  it.each(['/', '/ru', '/en/rest', '/ru/grpc-in-the-browser', '/index.html'])('%s: a strict CSP, nosniff, a referrer policy and no-cache', async (path) => {
    const response = await fetch(`${server.origin}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(response.headers.get('cache-control')).toMatch(/^(private, )?no-cache$/);

    const policy = directives(response.headers.get('content-security-policy'));
    expect(Object.fromEntries(policy)).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'worker-src': "'self'",
      'style-src': "'self' 'unsafe-inline'",
      'connect-src': "'self'",
      'img-src': "'self' data:",
      'font-src': "'self' data:",
      'object-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'self'",
      'frame-ancestors': "'none'",
    });
    expect(response.headers.get('content-security-policy')).not.toMatch(/unsafe-eval/);
    await response.arrayBuffer();
  });

  it('the first visit, which sets the session cookie, is never cached as public', async () => {
    const response = await fetch(`${server.origin}/en/rest`);
    expect(response.headers.get('set-cookie')).toMatch(/^wirelab_session=/);
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
    await response.arrayBuffer();
  });

  it('frame-ancestors follows the option, for a course site that embeds the app', async () => {
    const embedded = await startServer({ webRoot: WEB_ROOT, frameAncestors: "'self' https://course.example.edu" });
    try {
      const response = await fetch(`${embedded.origin}/en/rest`);
      expect(directives(response.headers.get('content-security-policy')).get('frame-ancestors')).toBe("'self' https://course.example.edu");
      await response.arrayBuffer();
    } finally {
      await embedded.close();
    }
  });

  it('refuses a frame-ancestors value that would smuggle in another directive', async () => {
    await expect(startServer({ webRoot: WEB_ROOT, frameAncestors: "'none'; script-src *" })).rejects.toThrow(/source list/);
  });
});

describe('every other response carries nosniff, without the page policy', () => {
  async function expectPlain(response: Response, type: RegExp): Promise<void> {
    expect(response.headers.get('content-type')).toMatch(type);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBeNull();
  }

  it('a hashed asset', async () => {
    const script = readdirSync(join(WEB_ROOT, 'assets')).find((name) => name.endsWith('.js'))!;
    const response = await fetch(`${server.origin}/assets/${script}`);
    expect(response.status).toBe(200);
    await expectPlain(response, /javascript/);
    await response.arrayBuffer();
  });

  it('a REST response and a problem+json error', async () => {
    const user = await fetch(`${server.origin}/api/v1/users/1`);
    expect(user.status).toBe(200);
    await expectPlain(user, /^application\/json/);
    await user.arrayBuffer();

    const missing = await fetch(`${server.origin}/nothing/here.txt`);
    expect(missing.status).toBe(404);
    await expectPlain(missing, /^application\/problem\+json/);
    // in both languages, as every problem here
    expect(((await missing.json()) as { localized: { ru: string } }).localized.ru).toBe('По адресу /nothing/here.txt ничего нет.');
  });

  it('a Connect call', async () => {
    const response = await fetch(`${server.origin}/wirelab.users.v1.UserService/GetUser`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 1 }),
    });
    expect(response.status).toBe(200);
    await expectPlain(response, /^application\/json/);
    await response.arrayBuffer();
  });

  it('a gRPC call over h2c', async () => {
    const session = connect(server.origin);
    try {
      const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const call = session.request({
          ':method': 'POST',
          ':path': '/wirelab.users.v1.UserService/GetUser',
          'content-type': 'application/grpc',
          te: 'trailers',
        });
        call.on('response', (received) => resolve(received));
        call.on('error', reject);
        call.resume();
        // One empty message: GetUser with every field at its default.
        call.end(Buffer.from([0, 0, 0, 0, 0]));
      });
      expect(headers[':status']).toBe(200);
      expect(headers['content-type']).toMatch(/^application\/grpc/);
      expect(headers['x-content-type-options']).toBe('nosniff');
    } finally {
      session.close();
    }
  });

  it('a hijacked SSE stream and an Engine.IO poll', async () => {
    const controller = new AbortController();
    const events = await fetch(`${server.origin}/api/v1/events`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
    expect(events.status).toBe(200);
    await expectPlain(events, /^text\/event-stream/);
    controller.abort();

    const poll = await fetch(`${server.origin}/socket.io/?EIO=4&transport=polling`);
    expect(poll.status).toBe(200);
    await expectPlain(poll, /^text\/plain/);
    await poll.arrayBuffer();
  });
});
