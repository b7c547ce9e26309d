import { describe, expect, it } from 'vitest';
import { batchingRequested, getParameterProblem, matchesIfNoneMatch, postParameterProblem, responseMediaType } from './http.ts';

describe('responseMediaType', () => {
  it('answers application/graphql-response+json when there is no Accept (the spec since 1 January 2025)', () => {
    expect(responseMediaType(undefined)).toBe('application/graphql-response+json');
    expect(responseMediaType(' ')).toBe('application/graphql-response+json');
  });

  it('answers application/json to clients that name nothing newer', () => {
    expect(responseMediaType('*/*')).toBe('application/json');
    expect(responseMediaType('application/json')).toBe('application/json');
    expect(responseMediaType('text/html, application/*;q=0.5')).toBe('application/json');
  });

  it('answers application/graphql-response+json when named and preferred at least as much', () => {
    expect(responseMediaType('application/graphql-response+json')).toBe('application/graphql-response+json');
    expect(responseMediaType('application/graphql-response+json, application/json;q=0.9')).toBe('application/graphql-response+json');
    expect(responseMediaType('application/json, application/graphql-response+json;q=0.5')).toBe('application/json');
    expect(responseMediaType('APPLICATION/GRAPHQL-RESPONSE+JSON; charset=utf-8')).toBe('application/graphql-response+json');
  });

  it('returns null when neither is acceptable', () => {
    expect(responseMediaType('text/html')).toBeNull();
    expect(responseMediaType('application/json;q=0')).toBeNull();
  });
});

describe('batchingRequested', () => {
  it('is off only for "off"', () => {
    expect(batchingRequested(undefined)).toBe(true);
    expect(batchingRequested('on')).toBe(true);
    expect(batchingRequested(' OFF ')).toBe(false);
    expect(batchingRequested(['off', 'on'])).toBe(false);
  });
});

describe('matchesIfNoneMatch', () => {
  it('compares weakly and knows *', () => {
    expect(matchesIfNoneMatch('"abc"', '"abc"')).toBe(true);
    expect(matchesIfNoneMatch('W/"abc", "x"', '"abc"')).toBe(true);
    expect(matchesIfNoneMatch('*', '"abc"')).toBe(true);
    expect(matchesIfNoneMatch('"abd"', '"abc"')).toBe(false);
    expect(matchesIfNoneMatch(undefined, '"abc"')).toBe(false);
  });
});

describe('sandboxFromInit', async () => {
  const { sandboxFromInit } = await import('./index.ts');
  it('reads the sandbox a connection_init payload names, flat or under headers', () => {
    expect(sandboxFromInit({ 'x-wirelab-sandbox': 'class-a' })).toBe('class-a');
    expect(sandboxFromInit({ headers: { 'x-wirelab-sandbox': 'class-b' } })).toBe('class-b');
    expect(sandboxFromInit({})).toBeUndefined();
    expect(sandboxFromInit(null)).toBeUndefined();
    expect(sandboxFromInit({ 'x-wirelab-sandbox': '../etc' })).toBeNull();
    expect(sandboxFromInit({ 'x-wirelab-sandbox': 42 })).toBeNull();
  });
});

describe('postParameterProblem', () => {
  it('accepts the well-formed, null counting as absent', () => {
    expect(postParameterProblem({ query: '{ a }' })).toBeNull();
    expect(postParameterProblem({ query: '{ a }', operationName: null, variables: null, extensions: null })).toBeNull();
    expect(postParameterProblem({ query: '{ a }', operationName: 'A', variables: { x: 1 }, extensions: {} })).toBeNull();
    expect(postParameterProblem({})).toBeNull(); // a missing query is reported as missing elsewhere
  });

  it('names the parameter and what it was, in both languages', () => {
    expect(postParameterProblem({ query: 0 })).toEqual({
      en: 'The "query" parameter must be a string; it is a number.',
      ru: 'Параметр "query" должен быть строкой, а здесь число.',
    });
    expect(postParameterProblem({ query: ['x'] })?.en).toBe('The "query" parameter must be a string; it is an array.');
    expect(postParameterProblem({ query: '{ a }', operationName: false })?.en).toMatch(/"operationName" .* a boolean/);
    expect(postParameterProblem({ query: '{ a }', variables: [7] })?.ru).toBe('Параметр "variables" должен быть JSON-объектом, а здесь массив.');
    expect(postParameterProblem({ query: '{ a }', extensions: 'x' })?.en).toMatch(/"extensions" .* a string/);
    expect(postParameterProblem('{ a }')?.en).toBe('A GraphQL request is a JSON object with a "query"; this one is a string.');
    expect(postParameterProblem(null)?.en).toMatch(/this one is null/);
  });
});

describe('getParameterProblem', () => {
  it('accepts each parameter once, JSON maps or null for variables and extensions', () => {
    expect(getParameterProblem({ query: '{ a }', variables: '{"x":1}', extensions: 'null' })).toBeNull();
    expect(getParameterProblem({ query: '{ a }', variables: '{not json' })).toBeNull(); // mercurius reports it
  });

  it('refuses a repeated parameter and JSON that is not a map', () => {
    expect(getParameterProblem({ query: ['{ a }', '{ b }'] })?.en).toBe('The "query" parameter is given 2 times; once at most.');
    expect(getParameterProblem({ query: '{ a }', variables: '0' })?.en).toMatch(/"variables" .* a number/);
    expect(getParameterProblem({ query: '{ a }', extensions: '[1]' })?.en).toMatch(/"extensions" .* an array/);
  });
});
