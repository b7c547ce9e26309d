import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matchesMessage, type Check } from '../contracts/exercise-checks/evaluate-check.ts';
import { messageMarkOf } from '../wire/message-marks.ts';
import { contiguousOffsets } from '../wire/payload-layers.ts';
import { graphqlHttpLayer } from '../wire/graphql/decode-graphql-http.ts';
import type { WireMessage } from '../wire/types.ts';

// "Ask for user 1's name and email and nothing else": the check reads what the request asked for,
// the selection and the root field with its arguments. The lesson's cached-user cell selects the same
// fields of user 3, and running it unchanged once passed the exercise.

const lesson = JSON.parse(readFileSync(new URL('10-graphql/lesson.json', import.meta.url), 'utf8')) as { exercises: Record<string, { check: Check }> };
const check = lesson.exercises['name-and-email'].check;

function requestMessage(query: string): WireMessage {
  const body = new TextEncoder().encode(JSON.stringify({ query }));
  const [node] = graphqlHttpLayer.decode(body, contiguousOffsets(0), {
    carrier: 'http-request-body',
    path: '/graphql',
    contentType: 'application/json',
    complete: true,
  });
  const mark = messageMarkOf(node)!;
  return { conn: 'c1', index: 0, dir: 'in', layer: mark.layer, summary: mark.summary, at: 0, range: node.range, tree: node, fields: mark.fields };
}

describe('the name-and-email exercise (lesson 10)', () => {
  if (check.type !== 'message') throw new Error('name-and-email is a message check');
  it('passes for user 1 with name and email only (urql adds __typename)', () => {
    expect(matchesMessage(check.match, requestMessage('{ user(id: 1) { name email } }'))).toBe(true);
    expect(matchesMessage(check.match, requestMessage('{ user(id: 1) { email name __typename } }'))).toBe(true);
  });
  it('fails for the cached-user cell run unchanged (user 3), and for more fields', () => {
    const cachedUser = readFileSync(new URL('10-graphql/cells/cached-user.graphql', import.meta.url), 'utf8');
    expect(matchesMessage(check.match, requestMessage(cachedUser))).toBe(false);
    expect(matchesMessage(check.match, requestMessage('{ user(id: 1) { name email status } }'))).toBe(false);
  });
});
