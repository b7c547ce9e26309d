import { describe, expect, it } from 'vitest';
import { parseOwnServerCell } from './own-server-cell-config.ts';

describe('an own-server cell file', () => {
  it('reads the protocol and the target', () => {
    expect(parseOwnServerCell('{ "protocol": "grpc", "target": "127.0.0.1:50051" }')).toEqual({
      ok: true,
      config: { protocol: 'grpc', target: '127.0.0.1:50051' },
    });
    expect(parseOwnServerCell('{ "protocol": "rest", "target": "[::1]:8000" }').ok).toBe(true);
  });

  it('names every problem: an unknown protocol, a target without a port, an unknown field, not JSON', () => {
    const parsed = parseOwnServerCell('{ "protocol": "ftp", "target": "127.0.0.1", "port": 1 }');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toHaveLength(3);
    expect(parsed.problems.join('\n')).toMatch(/unknown field "port"/);
    expect(parsed.problems.join('\n')).toMatch(/protocol must be one of rest, websocket, sse, grpc/);
    expect(parsed.problems.join('\n')).toMatch(/target must be host:port/);
    expect(parseOwnServerCell('{ "protocol": "rest", "target": "127.0.0.1:70000" }').ok).toBe(false);
    expect(parseOwnServerCell('{ "protocol": "rest" ').ok).toBe(false);
    expect(parseOwnServerCell('["rest"]').ok).toBe(false);
  });
});
