import { Parser } from '@asyncapi/parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { asyncApiDocument } from '../server/asyncapi/asyncapi-document.ts';
import { asyncApiView, type AsyncApiView, type SchemaNode } from '../web/asyncapi/asyncapi-view-model.ts';

// The web page's view model held against the document the server serves: a test of both sides,
// so it lives in tests/, not beside either (no test in web/ imports server/).
const served = asyncApiDocument('localhost:8080');

const find = (node: SchemaNode, name: string) => node.children.find((child) => child.name === name);

describe('the AsyncAPI page’s view of the served document', () => {
  let view: AsyncApiView;
  let parsed: Awaited<ReturnType<Parser['parse']>>;
  // the official parser (a devDependency, never shipped) builds its rule set on first use: seconds on a busy machine
  beforeAll(async () => {
    view = asyncApiView(JSON.parse(JSON.stringify(served)));
    parsed = await new Parser().parse(JSON.stringify(served));
  }, 120_000);

  it('has every channel, message and operation the official parser finds, with the same addresses, names and actions', () => {
    const document = parsed.document!;
    expect(view.channels.map((channel) => channel.address).sort()).toEqual(
      document
        .channels()
        .all()
        .map((channel) => channel.address())
        .sort(),
    );
    for (const channel of document.channels().all()) {
      const shown = view.channels.find((candidate) => candidate.id === channel.id())!;
      expect(shown.messages.map((message) => message.name).sort(), channel.id()).toEqual(
        channel
          .messages()
          .all()
          .map((message) => message.name())
          .sort(),
      );
    }
    expect(view.operations.map((operation) => `${operation.id} ${operation.action} ${operation.channelId}`).sort()).toEqual(
      document
        .operations()
        .all()
        .map((operation) => `${operation.id()} ${operation.action()} ${operation.channels().all()[0].id()}`)
        .sort(),
    );
    expect(view.servers.map((server) => `${server.id} ${server.protocol}`).sort()).toEqual(
      document
        .servers()
        .all()
        .map((server) => `${server.id()} ${server.protocol()}`)
        .sort(),
    );
  });

  it('shows a payload as a tree: required properties, a component’s name, its own properties, const and enum', () => {
    const created = view.channels.find((channel) => channel.address === 'events/user/created')!;
    const payload = created.messages[0].payload!;
    expect(payload.type).toBe('object');
    expect(find(payload, 'type')).toMatchObject({ required: true, constValue: '"user.created"' });
    const data = find(payload, 'data')!;
    expect(data.ref).toBe('User');
    expect(find(data, 'version')).toMatchObject({ type: 'integer', required: true, limits: ['minimum 1'] });
    expect(find(payload, 'at')).toMatchObject({ type: 'string', format: 'date-time' });
    const chat = view.channels.find((channel) => channel.address === 'chat/{via}/{room}')!;
    expect(chat.parameters.find((parameter) => parameter.name === 'room')!.examples).toContain('лобби');
    expect(chat.operations.map((operation) => operation.action)).toEqual(['send']);
    expect(chat.operations[0].bindings).toEqual(['mqtt: qos 1, retain false']);
  });

  it('says which messages an operation is limited to', () => {
    const receive = view.operations.find((operation) => operation.id === 'receiveChatLine')!;
    expect(receive).toMatchObject({ action: 'receive', channelId: 'webSocketChat', messages: ['text'] });
  });
});
