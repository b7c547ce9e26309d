import { describe, expect, it } from 'vitest';
import { asyncApiView, MAX_SCHEMA_DEPTH, NotAsyncApiError, schemaTree, type SchemaNode } from './asyncapi-view-model.ts';

// The view of the document the server really serves is tests/asyncapi-view-of-served-document.test.ts.

const find = (node: SchemaNode, name: string) => node.children.find((child) => child.name === name);

describe('the AsyncAPI view on its own', () => {
  it('refuses what is not an AsyncAPI 3 document', () => {
    expect(() => asyncApiView({ openapi: '3.1.0' })).toThrow(NotAsyncApiError);
    expect(() => asyncApiView({ asyncapi: '2.6.0' })).toThrow(/not 3\.x/);
    expect(() => asyncApiView('x')).toThrow(NotAsyncApiError);
  });

  it('shows message examples, array items and anyOf branches, and stops at a schema inside itself', () => {
    const document = {
      asyncapi: '3.0.0',
      info: { title: 'T', version: '1' },
      channels: { c: { address: 'a/{id}', messages: { m: { $ref: '#/components/messages/m' } } } },
      operations: { o: { action: 'receive', channel: { $ref: '#/channels/c' } } },
      components: {
        messages: { m: { name: 'm', payload: { $ref: '#/components/schemas/Node' }, examples: [{ name: 'one', payload: { id: 1 } }] } },
        schemas: {
          Node: {
            type: 'object',
            properties: {
              next: { $ref: '#/components/schemas/Node' },
              tags: { type: 'array', items: { type: 'string' } },
              either: { anyOf: [{ type: 'string' }, { type: 'null' }] },
            },
          },
        },
      },
    };
    const view = asyncApiView(document);
    const message = view.channels[0].messages[0];
    expect(message.examples).toEqual([{ name: 'one', summary: undefined, payload: '{\n  "id": 1\n}' }]);
    expect(view.channels[0].operations.map((operation) => operation.action)).toEqual(['receive']);
    const root = message.payload!;
    expect(root.ref).toBe('Node');
    expect(find(root, 'next')).toMatchObject({ ref: 'Node', truncated: true, children: [] });
    expect(find(root, 'tags')!.children).toMatchObject([{ role: 'items', type: 'string' }]);
    expect(find(root, 'either')!.children.map((child) => `${child.role} ${child.type}`)).toEqual(['anyOf string', 'anyOf null']);
  });

  it('cuts a deep schema at the limit', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let level = 0; level < MAX_SCHEMA_DEPTH + 3; level++) schema = { type: 'object', properties: { inner: schema } };
    let node = schemaTree({}, schema);
    let depth = 0;
    while (node.children.length > 0) {
      node = node.children[0];
      depth++;
    }
    expect(depth).toBe(MAX_SCHEMA_DEPTH);
    expect(node.truncated).toBe(true);
  });
});
