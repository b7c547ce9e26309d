import { Parser } from '@asyncapi/parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHAT_VIAS, DOMAIN_EVENT_TYPES } from '../domain/index.ts';
import { CHAT_EVENTS } from '../protocols/socket-io/namespaces.ts';
import { asyncApiDocument } from './asyncapi-document.ts';

// DiagnosticSeverity of @stoplight/types: 0 error, 1 warning, 2 information, 3 hint.
const ERROR = 0;

type Parsed = Awaited<ReturnType<Parser['parse']>>;

describe('the AsyncAPI document', () => {
  let parsed: Parsed;
  // The parser builds its whole rule set on first use: seconds, more on a busy machine.
  beforeAll(async () => {
    parsed = await new Parser().parse(JSON.stringify(asyncApiDocument('localhost:8080')));
  }, 120_000);

  it('is valid AsyncAPI 3.0 by the official parser: no error, no warning', () => {
    const { document, diagnostics } = parsed;
    const problems = diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code} at ${d.path.join('.')}: ${d.message}`);
    expect(problems).toEqual([]);
    expect(document).toBeDefined();
    expect(diagnostics.some((d) => d.severity === ERROR)).toBe(false);
  });

  it('has an MQTT channel, an SSE message and a Socket.IO message for every domain event type', () => {
    const { document } = parsed;
    const addresses = document!
      .channels()
      .all()
      .map((channel) => channel.address());
    for (const type of DOMAIN_EVENT_TYPES) expect(addresses).toContain(`events/${type.replace('.', '/')}`);
    const sse = document!
      .channels()
      .all()
      .find((channel) => channel.address() === '/api/v1/events')!;
    expect(
      sse
        .messages()
        .all()
        .map((m) => m.name()),
    ).toEqual(expect.arrayContaining([...DOMAIN_EVENT_TYPES, 'stream.gap', 'server.shutdown']));
    const socketIo = document!
      .channels()
      .all()
      .find((channel) => channel.address() === '/socket.io/')!;
    const names = socketIo
      .messages()
      .all()
      .map((m) => m.name());
    expect(names).toEqual(expect.arrayContaining([...CHAT_EVENTS, ...DOMAIN_EVENT_TYPES.map((type) => type.replace('.', ':'))]));
  });

  it('has the MQTT chat topic, with the chats that publish to it as its `via`', () => {
    const chat = parsed
      .document!.channels()
      .all()
      .find((channel) => channel.address() === 'chat/{via}/{room}');
    expect(chat).toBeDefined();
    expect(
      chat!
        .parameters()
        .all()
        .map((p) => p.id()),
    ).toEqual(['via', 'room']);
    expect(chat!.parameters().get('via')!.schema()!.enum()).toEqual([...CHAT_VIAS]);
    expect(
      chat!
        .messages()
        .all()
        .map((m) => m.name()),
    ).toEqual(['chat.message']);
    expect(
      chat!
        .servers()
        .all()
        .map((s) => s.protocol()),
    ).toEqual(['mqtt', 'ws']);
  });

  it('names the host it is given in every server', () => {
    const servers = asyncApiDocument('192.168.1.20:8080').servers as Record<string, { host: string }>;
    expect(Object.values(servers).map((server) => server.host)).toEqual(['192.168.1.20:8080', '192.168.1.20:8080', '192.168.1.20:8080', '192.168.1.20:8080']);
  });
});
