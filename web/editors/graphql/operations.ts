import { GraphQLError, Kind, parse, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

export interface OperationInfo {
  /** null for an anonymous operation */
  name: string | null;
  type: 'query' | 'mutation' | 'subscription';
  /** 1-based line where it starts */
  line: number;
}

export type DocumentOutline = { ok: true; document: DocumentNode; operations: OperationInfo[] } | { ok: false; message: string; line: number; column: number };

export function outlineDocument(text: string): DocumentOutline {
  let document: DocumentNode;
  try {
    document = parse(text);
  } catch (error) {
    const location = error instanceof GraphQLError ? error.locations?.[0] : undefined;
    const message = error instanceof GraphQLError ? error.message : String(error);
    return { ok: false, message, line: location?.line ?? 1, column: location?.column ?? 1 };
  }
  const operations = document.definitions
    .filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => ({
      name: operation.name?.value ?? null,
      type: operation.operation as OperationInfo['type'],
      line: operation.loc ? lineOf(text, operation.loc.start) : 1,
    }));
  return { ok: true, document, operations };
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset; index += 1) if (text.charCodeAt(index) === 10) line += 1;
  return line;
}

/**
 * The text to send for one operation of a document: that operation and the fragments it uses
 * (directly or through other fragments), as the student wrote them. A server must reject unused
 * fragments and may not guess which of several operations to run, so the others stay home.
 */
export function operationSource(text: string, document: DocumentNode, operationIndex: number): string {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = operations[operationIndex];
  if (!operation) return text;
  if (operations.length === 1) return text;
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const used = new Set<string>();
  const visit = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        if (used.has(name)) continue;
        used.add(name);
        visit(fragments.get(name)?.selectionSet);
      } else {
        visit(selection.selectionSet);
      }
    }
  };
  visit(operation.selectionSet);
  const keep = document.definitions.filter(
    (definition) => definition === operation || (definition.kind === Kind.FRAGMENT_DEFINITION && used.has(definition.name.value)),
  );
  return keep.map((definition) => (definition.loc ? text.slice(definition.loc.start, definition.loc.end) : '')).join('\n\n');
}

/** Which operation of the list a stored choice (its name, or its position for anonymous ones) means now. */
export function pickOperation(operations: readonly OperationInfo[], wanted: string | number | null): number {
  if (operations.length === 0) return -1;
  if (typeof wanted === 'string') {
    const index = operations.findIndex((operation) => operation.name === wanted);
    if (index >= 0) return index;
  }
  if (typeof wanted === 'number' && wanted < operations.length) return wanted;
  return 0;
}
