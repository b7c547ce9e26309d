// What the GraphQL suite's checks share: the users it creates with a mutation (and deletes in
// its clean-up), apart from the checks so both halves of the suite can import it.
import type { SuiteContext } from '../check-kit.ts';
import type { EventWaits } from '../event-waits.ts';
import { markedUnique } from '../wirelab-itself.ts';
import { dig, postGraphql, type GraphqlAnswer } from '../graphql-client.ts';

export interface MadeUser {
  id: string | null;
  email: string;
  answer: GraphqlAnswer | null;
  error?: string;
}

export interface GraphqlState {
  /** The user `prepare` created with the createUser mutation; the other checks read it. */
  made: MadeUser;
  /** Every user id the suite created (the subscription checks make more): cleanUp deletes them. */
  createdIds: string[];
  /** How long the run's subscription checks wait for an event, and what their waits so far saw (event-waits.ts). */
  waits: EventWaits;
}

/** The contract's user limit is 8 levels (server/protocols/graphql/limits.ts); this is two more. */
export const TOO_DEEP = 10;

/** An id as the contract's `ID` reads it: a string, or a number from a server that answers one. */
export function idOf(value: unknown): string | null {
  return typeof value === 'string' && value ? value : typeof value === 'number' ? String(value) : null;
}

/** `mutation { createUser(input: {…}) { id name email } }` with literal arguments (the variables check is apart). */
export async function createUserByMutation(context: SuiteContext, state: GraphqlState, tag: string): Promise<MadeUser> {
  const email = `wirelab-graphql-${tag}-${markedUnique(context)}@example.com`;
  const query = `mutation { createUser(input: { name: ${JSON.stringify(`Wirelab GraphQL ${tag}`)}, email: ${JSON.stringify(email)} }) { id name email } }`;
  try {
    const answer = await postGraphql(context, { query });
    const id = idOf(dig(answer.body?.data, 'createUser', 'id'));
    if (id) state.createdIds.push(id);
    return { id, email, answer };
  } catch (error) {
    return { id: null, email, answer: null, error: (error as Error).message };
  }
}
