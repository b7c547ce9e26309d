import { describe, expect, it } from 'vitest';
import { parseHttpRequest, type HttpRequestText } from './parse-http-request.ts';
import { planFetch } from './fetch-limits.ts';
import { curlCommand, shellQuote } from './curl-command.ts';

const ORIGIN = 'http://localhost:8080';
const request = (text: string): HttpRequestText => {
  const result = parseHttpRequest(text);
  if (!result.ok) throw new Error(result.error.code);
  return result.request;
};

describe('planFetch', () => {
  it('sends to the page origin, keeping what fetch may send and naming what it drops', () => {
    const result = planFetch(
      request('POST /api/v1/users?x=1#top\nHost: evil\nContent-Type: application/json\nContent-Length: 3\nSec-Fetch-Mode: x\n\n{}'),
      ORIGIN,
    );
    expect(result).toEqual({
      ok: true,
      plan: {
        url: 'http://localhost:8080/api/v1/users?x=1',
        target: '/api/v1/users?x=1',
        method: 'POST',
        headers: [['Content-Type', 'application/json']],
        body: '{}',
        dropped: [
          { name: 'Host', line: 2 },
          { name: 'Content-Length', line: 4 },
          { name: 'Sec-Fetch-Mode', line: 5 },
        ],
      },
    });
  });

  it('accepts a full URL of this server, and gives the target as the browser encodes it', () => {
    const result = planFetch(request('GET http://localhost:8080/api/v1/users?q=Ада'), ORIGIN);
    expect(result.ok && result.plan.target).toBe('/api/v1/users?q=%D0%90%D0%B4%D0%B0');
  });

  it('refuses what fetch cannot do, with the line to fix', () => {
    expect(planFetch(request('GET /a\n\nbody'), ORIGIN)).toEqual({ ok: false, blocker: { code: 'body-not-allowed', method: 'GET', line: 3 } });
    expect(planFetch(request('TRACE /a'), ORIGIN)).toEqual({ ok: false, blocker: { code: 'forbidden-method', method: 'TRACE', line: 1 } });
    expect(planFetch(request('\nGET https://example.com/'), ORIGIN)).toEqual({
      ok: false,
      blocker: { code: 'other-origin', origin: 'https://example.com', line: 2 },
    });
  });
});

describe('curlCommand', () => {
  it('quotes for the shell and adds the sandbox header', () => {
    const command = curlCommand(request(`POST /api/v1/users\nContent-Type: application/json\n\n{ "name": "O'Brien" }`), ORIGIN, 's3ss10n');
    expect(command).toBe(
      `curl -i -X POST 'http://localhost:8080/api/v1/users' -H 'Content-Type: application/json' -H 'x-wirelab-sandbox: s3ss10n' --data-raw '{ "name": "O'\\''Brien" }'`,
    );
  });

  it('uses -I for HEAD and keeps headers the browser would drop', () => {
    expect(curlCommand(request('HEAD /api/v1/users/1\nConnection: close'), ORIGIN, 's')).toBe(
      `curl -I 'http://localhost:8080/api/v1/users/1' -H 'Connection: close' -H 'x-wirelab-sandbox: s'`,
    );
  });

  it('shellQuote survives every awkward character', () => {
    expect(shellQuote(`a'b"c$d\`e\\f\ng`)).toBe(`'a'\\''b"c$d\`e\\f\ng'`);
  });
});
