import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { NodeRequestHeaders } from './unary-connect-call.ts';

/** What connect-node's nodeHeaderToWebHeader builds from the same node headers. */
function filled(node: IncomingHttpHeaders): Headers {
  const header = new Headers();
  for (const [name, value] of Object.entries(node)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) header.append(name, v);
  }
  return header;
}

const NODE: IncomingHttpHeaders = {
  host: '127.0.0.1:8080',
  'content-type': 'application/json',
  'connect-timeout-ms': '500',
  'x-echo-lang': 'ru, en',
  cookie: 'a=1; b=2',
  'set-cookie': ['x=1', 'y=2'],
};

describe('NodeRequestHeaders', () => {
  it('answers get and has as the filled Headers do, names in any case, missing ones too', () => {
    const lazy = new NodeRequestHeaders(NODE);
    const full = filled(NODE);
    for (const name of ['Content-Type', 'content-type', 'CONNECT-TIMEOUT-MS', 'x-echo-lang', 'cookie', 'set-cookie', 'grpc-timeout', 'authorization']) {
      expect(lazy.get(name)).toBe(full.get(name));
      expect(lazy.has(name)).toBe(full.has(name));
    }
  });

  it('throws for a name that is no header name, as Headers does', () => {
    expect(() => new NodeRequestHeaders(NODE).get('bad name')).toThrow(TypeError);
    expect(() => new NodeRequestHeaders(NODE).has('bad:name')).toThrow(TypeError);
  });

  it('iterates, copies and reads set-cookie as the filled Headers do', () => {
    const full = filled(NODE);
    expect([...new NodeRequestHeaders(NODE)]).toEqual([...full]);
    expect([...new NodeRequestHeaders(NODE).entries()]).toEqual([...full.entries()]);
    expect([...new NodeRequestHeaders(NODE).keys()]).toEqual([...full.keys()]);
    expect([...new NodeRequestHeaders(NODE).values()]).toEqual([...full.values()]);
    expect(new NodeRequestHeaders(NODE).getSetCookie()).toEqual(['x=1', 'y=2']);
    const seen: string[] = [];
    new NodeRequestHeaders(NODE).forEach((value, key) => seen.push(`${key}=${value}`));
    expect(seen).toEqual([...full].map(([key, value]) => `${key}=${value}`));
    expect([...new Headers(new NodeRequestHeaders(NODE))]).toEqual([...full]);
  });

  it('changes are seen by every later read, and node headers are left alone', () => {
    const node = { ...NODE };
    const lazy = new NodeRequestHeaders(node);
    lazy.set('content-type', 'application/proto');
    lazy.append('x-echo-lang', 'de');
    lazy.delete('cookie');
    expect(lazy.get('content-type')).toBe('application/proto');
    expect(lazy.get('x-echo-lang')).toBe('ru, en, de');
    expect(lazy.has('cookie')).toBe(false);
    expect(lazy.get('host')).toBe('127.0.0.1:8080');
    expect(node).toEqual(NODE);
  });
});
