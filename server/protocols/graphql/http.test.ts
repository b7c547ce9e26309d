import { describe, expect, it } from 'vitest';
import { batchingRequested, matchesIfNoneMatch, responseMediaType } from './http.ts';

describe('responseMediaType', () => {
  it('answers application/json to clients that name nothing newer', () => {
    expect(responseMediaType(undefined)).toBe('application/json');
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
