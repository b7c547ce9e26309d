import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { buildSchema as buildEsmSchema, type GraphQLSchema } from 'graphql';
import { getAutocompleteSuggestions, getDiagnostics, getHoverInformation } from 'graphql-language-service';
import { SCHEMA } from '../server/protocols/graphql/schema.ts';
import { completionData, hoverMarkdown, lspPosition, markerData } from '../web/editors/graphql/language-bridge.ts';
import { buildDocsIndex, searchDocs } from '../web/editors/graphql/schema-docs.ts';

// The GraphQL editor's completion, markers, hover and docs held against the schema /graphql really
// serves: a test of both sides, so it lives in tests/, not beside either (no test in web/ imports server/).
// In Node, graphql-language-service loads graphql's CommonJS build; the schema must come from that
// same copy, or graphql refuses it as "from another realm" (the browser bundle has one copy).
const { buildSchema } = createRequire(import.meta.url)('graphql') as { buildSchema(sdl: string): GraphQLSchema };
const schema = buildSchema(SCHEMA);

describe('language service bridge (against the server’s schema)', () => {
  it('completes the fields of User after "user(id: 1) { "', () => {
    const text = '{ user(id: 1) { n } }';
    const items = completionData(getAutocompleteSuggestions(schema, text, lspPosition(1, 18)));
    const name = items.find((item) => item.label === 'name');
    expect(name).toMatchObject({ kindName: 'Field', detail: 'String!' });
    // the service filters by what is typed: "n" keeps name, phone, version… and drops id
    expect(items.map((item) => item.label)).not.toContain('id');
  });

  it('turns diagnostics into Monaco markers (1-based, error severity 8)', () => {
    const markers = markerData(getDiagnostics('{ user(id: 1) { nickname } }', schema));
    expect(markers).toHaveLength(1);
    expect(markers[0]).toMatchObject({ severity: 8, startLineNumber: 1, startColumn: 17 });
    expect(markers[0].message).toMatch(/nickname/);
  });

  it('hover shows the field’s type and description', () => {
    const text = '{ user(id: 1) { version } }';
    const markdown = hoverMarkdown(getHoverInformation(schema, text, lspPosition(1, 19), undefined, { useMarkdown: true }));
    expect(markdown).toMatch(/User\.version/);
    expect(markdown).toMatch(/Bumped on every change/);
  });
});

describe('docs explorer model', () => {
  it('root types first, introspection types hidden, arguments with defaults', () => {
    const index = buildDocsIndex(buildEsmSchema(SCHEMA));
    expect(index.types.slice(0, 3).map((type) => type.name)).toEqual(['Query', 'Mutation', 'Subscription']);
    expect(index.types.some((type) => type.name.startsWith('__'))).toBe(false);
    const users = index.byName.get('Query')!.fields.find((field) => field.name === 'users')!;
    expect(users.type).toBe('UserConnection!');
    expect(users.args.find((argument) => argument.name === 'first')).toMatchObject({ type: 'Int', defaultValue: '10' });
    expect(index.byName.get('UserStatus')!.enumValues.map((value) => value.name)).toEqual(['ACTIVE', 'INACTIVE', 'BANNED']);
    expect(index.byName.get('CreateUserInput')!.category).toBe('input');
    expect(searchDocs(index, 'postadded').map((type) => type.name)).toEqual(['Subscription']);
  });
});
