import {
  GraphQLError,
  Kind,
  parse,
  print,
  type ASTNode,
  type DefinitionNode,
  type DocumentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { ru } from '../node-text.ts';
import { countRu } from '../../shared/russian-plural.ts';
import type { WireNode } from '../types.ts';

// A GraphQL document (the text of "query") as WireNodes: operations, fragments, variables and
// every selected field, each with the bytes it was written in.

/** What the operation that runs looks like, flattened for checks (wire/graphql/README.md). */
export interface OperationFacts {
  operationType?: 'query' | 'mutation' | 'subscription';
  operationName?: string;
  /** the selected fields without arguments, as written: "user{name email}" */
  selection?: string;
  /**
   * the operation's root fields with their arguments as written: "user(id: 1)", "a:user(id: 1) posts";
   * a variable stays a variable ("user(id: $id)"): what the document asks for, not what it got
   */
  rootFields?: string;
  /** deepest nesting, fragments expanded, counted as the server does: a root field is 1, an inline fragment adds 1 */
  depth?: number;
  /** fields selected under another name (`first: user(id: 1)`) */
  aliases?: number;
  /** how many operations the document holds */
  operations: number;
  syntaxError?: string;
}

/** Maps a character index of the document to a half-open stream range. */
export type CharRange = (startChar: number, endChar: number) => { start: number; end: number };

/** Bigger documents are shown as one node: the tree would be unreadable and slow anyway. */
export const MAX_DOCUMENT_CHARS = 100_000;
/** Fields shown in one document's tree; the rest are summed up in a note. */
export const MAX_FIELD_NODES = 500;

export function decodeGraphqlDocument(
  text: string,
  rangeOf: CharRange,
  operationName?: string,
): { node: WireNode; facts: OperationFacts; document?: DocumentNode } {
  const whole = rangeOf(0, text.length);
  if (text.length > MAX_DOCUMENT_CHARS) {
    return {
      node: ru(
        { kind: 'graphql-document', label: 'GraphQL document', value: `${text.length} characters: too long to show as a tree`, range: whole },
        'документ GraphQL',
        `${countRu(text.length, 'символ', 'символа', 'символов')}: слишком длинный, чтобы показывать деревом`,
      ),
      facts: { operations: 0 },
    };
  }
  let document: DocumentNode;
  try {
    document = parse(text, { noLocation: false });
  } catch (error) {
    const message = error instanceof GraphQLError ? error.message : String(error);
    const position = error instanceof GraphQLError ? (error.positions?.[0] ?? 0) : 0;
    return {
      node: ru(
        {
          kind: 'graphql-document',
          label: 'GraphQL document',
          value: 'syntax error',
          range: whole,
          error: 'graphql-syntax-error',
          children: [
            ru(
              {
                kind: 'graphql-syntax-error',
                label: 'syntax error',
                value: message,
                range: rangeOf(position, Math.min(text.length, position + 1)),
                error: 'graphql-syntax-error',
              },
              'синтаксическая ошибка',
            ),
          ],
        },
        'документ GraphQL',
        'синтаксическая ошибка',
      ),
      facts: { operations: 0, syntaxError: message },
    };
  }
  const fragments = new Map(
    document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])),
  );
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const chosen = operationName ? operations.find((operation) => operation.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  const budget = { left: MAX_FIELD_NODES };
  const children = document.definitions.map((definition) => definitionNode(definition, rangeOf, budget, definition === chosen));
  if (budget.left < 0)
    children.push(
      ru({ kind: 'graphql-note', label: 'more fields', value: `${-budget.left} fields not shown`, range: whole }, 'ещё поля', `не показано: ${-budget.left}`),
    );
  const facts: OperationFacts = { operations: operations.length };
  if (chosen) {
    facts.operationType = chosen.operation as OperationFacts['operationType'];
    if (chosen.name) facts.operationName = chosen.name.value;
    facts.selection = selectionSignature(chosen.selectionSet);
    facts.rootFields = rootFieldCalls(chosen.selectionSet);
    facts.depth = selectionDepth(chosen.selectionSet, fragments, new Set());
    facts.aliases = countAliases(chosen.selectionSet, fragments, new Set());
  }
  const summary = operations.map((operation) => `${operation.operation}${operation.name ? ` ${operation.name.value}` : ''}`).join(', ');
  return {
    node: ru(
      { kind: 'graphql-document', label: 'GraphQL document', value: summary || 'no operation', range: whole, children },
      'документ GraphQL',
      summary || 'нет ни одной операции',
    ),
    facts,
    document,
  };
}

function locRange(node: ASTNode, rangeOf: CharRange): { start: number; end: number } {
  return node.loc ? rangeOf(node.loc.start, node.loc.end) : rangeOf(0, 0);
}

function definitionNode(definition: DefinitionNode, rangeOf: CharRange, budget: { left: number }, chosen: boolean): WireNode {
  const range = locRange(definition, rangeOf);
  if (definition.kind === Kind.OPERATION_DEFINITION) {
    const variables = (definition.variableDefinitions ?? []).map((variable) => ({
      kind: 'graphql-variable-definition',
      label: `$${variable.variable.name.value}`,
      value: print(variable.type) + (variable.defaultValue ? ` = ${print(variable.defaultValue)}` : ''),
      range: locRange(variable, rangeOf),
    }));
    return ru(
      {
        kind: 'graphql-operation',
        label: `${definition.operation}${definition.name ? ` ${definition.name.value}` : ' (anonymous)'}`,
        value: chosen ? 'the operation that runs' : '',
        range,
        children: [...variables, ...selectionNodes(definition.selectionSet, rangeOf, budget)],
      },
      `${definition.operation}${definition.name ? ` ${definition.name.value}` : ' (без имени)'}`,
      chosen ? 'именно она и выполняется' : '',
    );
  }
  if (definition.kind === Kind.FRAGMENT_DEFINITION) {
    return {
      kind: 'graphql-fragment',
      label: `fragment ${definition.name.value}`,
      value: `on ${definition.typeCondition.name.value}`,
      range,
      children: selectionNodes(definition.selectionSet, rangeOf, budget),
    };
  }
  // Type-system definitions are not executable; a server answers them with an error.
  return ru(
    { kind: 'graphql-definition', label: definition.kind, value: 'not executable', range, error: 'not-executable' },
    definition.kind,
    'это не выполняется',
  );
}

function selectionNodes(selectionSet: SelectionSetNode | undefined, rangeOf: CharRange, budget: { left: number }): WireNode[] {
  const nodes: WireNode[] = [];
  for (const selection of selectionSet?.selections ?? []) {
    budget.left -= 1;
    if (budget.left < 0) continue;
    const range = locRange(selection, rangeOf);
    if (selection.kind === Kind.FIELD) {
      const args = (selection.arguments ?? []).map((argument) => `${argument.name.value}: ${print(argument.value)}`).join(', ');
      const label = `${selection.alias ? `${selection.alias.value}: ` : ''}${selection.name.value}${args ? `(${args})` : ''}`;
      const children = selectionNodes(selection.selectionSet, rangeOf, budget);
      const field: WireNode = {
        kind: 'graphql-field',
        label,
        ...(selection.alias ? { value: `alias of ${selection.name.value}` } : {}),
        range,
        ...(children.length > 0 ? { children } : {}),
      };
      nodes.push(selection.alias ? ru(field, label, `псевдоним поля ${selection.name.value}`) : field);
    } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
      nodes.push(
        ru(
          { kind: 'graphql-fragment-spread', label: `...${selection.name.value}`, value: 'fragment spread', range },
          `...${selection.name.value}`,
          'подстановка фрагмента',
        ),
      );
    } else {
      nodes.push(
        ru(
          {
            kind: 'graphql-inline-fragment',
            label: `... on ${selection.typeCondition?.name.value ?? '(same type)'}`,
            range,
            children: selectionNodes(selection.selectionSet, rangeOf, budget),
          },
          `... on ${selection.typeCondition?.name.value ?? '(тот же тип)'}`,
        ),
      );
    }
  }
  return nodes;
}

/** "user{name email}" — fields as written, aliases as "alias:field", spreads as "...Name". */
export function selectionSignature(selectionSet: SelectionSetNode | undefined): string {
  return (selectionSet?.selections ?? [])
    .map((selection) => {
      if (selection.kind === Kind.FIELD) {
        const name = selection.alias ? `${selection.alias.value}:${selection.name.value}` : selection.name.value;
        return selection.selectionSet ? `${name}{${selectionSignature(selection.selectionSet)}}` : name;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) return `...${selection.name.value}`;
      return `...on ${selection.typeCondition?.name.value ?? ''}{${selectionSignature(selection.selectionSet)}}`;
    })
    .join(' ');
}

/** The root fields as written with their arguments, compacted: `user(id: 1)`; fragments by name. */
function rootFieldCalls(selectionSet: SelectionSetNode): string {
  return selectionSet.selections
    .map((selection) => {
      if (selection.kind !== Kind.FIELD) return selection.kind === Kind.FRAGMENT_SPREAD ? `...${selection.name.value}` : '...';
      const name = selection.alias ? `${selection.alias.value}:${selection.name.value}` : selection.name.value;
      const args = (selection.arguments ?? []).map((argument) => `${argument.name.value}: ${print(argument.value)}`).join(', ');
      return args ? `${name}(${args})` : name;
    })
    .join(' ');
}

type Fragments = ReadonlyMap<string, { selectionSet: SelectionSetNode }>;

function selectionDepth(selectionSet: SelectionSetNode | undefined, fragments: Fragments, visiting: Set<string>): number {
  let deepest = 0;
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) deepest = Math.max(deepest, 1 + selectionDepth(selection.selectionSet, fragments, visiting));
    // An inline fragment adds a level, as mercurius' queryDepth counts it, so the number here is the server's.
    else if (selection.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, 1 + selectionDepth(selection.selectionSet, fragments, visiting));
    else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // A fragment that spreads itself is invalid GraphQL; count it once instead of looping.
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      deepest = Math.max(deepest, selectionDepth(fragment.selectionSet, fragments, visiting));
      visiting.delete(name);
    }
  }
  return deepest;
}

function countAliases(selectionSet: SelectionSetNode | undefined, fragments: Fragments, visiting: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) count += (selection.alias ? 1 : 0) + countAliases(selection.selectionSet, fragments, visiting);
    else if (selection.kind === Kind.INLINE_FRAGMENT) count += countAliases(selection.selectionSet, fragments, visiting);
    else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      count += countAliases(fragment.selectionSet, fragments, visiting);
      visiting.delete(name);
    }
  }
  return count;
}
