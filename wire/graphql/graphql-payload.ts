import { ru, russianTextOf } from '../node-text.ts';
import { rangeOf, type PayloadOffsets } from '../payload-layers.ts';
import type { WireNode } from '../types.ts';
import { decodeGraphqlDocument, type OperationFacts } from './graphql-document.ts';
import { entryOf, type JsonNode, type JsonString } from '../json/json-ranges.ts';
import { clip, jsonRange, jsonTree, MAX_JSON_NODES } from '../json/json-tree.ts';

export { clip, jsonRange, jsonTree, MAX_JSON_NODES };

export type Facts = Record<string, string | number | boolean>;

/** Character ranges of a JSON string's decoded text, as stream ranges. */
export function stringCharRange(offsets: PayloadOffsets, string: JsonString) {
  const last = string.charStarts.length - 1;
  return (startChar: number, endChar: number) => {
    const start = string.charStarts[Math.min(startChar, last)];
    const end = string.charStarts[Math.min(endChar, last)];
    return rangeOf(offsets, start, Math.max(start, end));
  };
}

// The two JSON shapes GraphQL sends everywhere (over HTTP and inside graphql-ws messages):
// a request {query, variables, operationName, extensions} and an execution result
// {data, errors, extensions}. Both become WireNodes with byte ranges, plus flat facts for checks.

/** {query, variables, operationName, extensions}: a GraphQL request (one operation of a batch). */
export function decodeGraphqlRequest(request: JsonNode, offsets: PayloadOffsets): { node: WireNode; facts: Facts } {
  const range = jsonRange(offsets, request);
  if (request.type !== 'object') {
    return {
      node: ru(
        { kind: 'graphql-request', label: 'GraphQL request', value: 'not a JSON object', range, error: 'not-an-object' },
        'запрос GraphQL',
        'не JSON-объект',
      ),
      facts: { error: 'not-an-object' },
    };
  }
  const children: WireNode[] = [];
  const query = entryOf(request, 'query');
  const operationName = entryOf(request, 'operationName');
  const variables = entryOf(request, 'variables');
  const extensions = entryOf(request, 'extensions');
  const name = operationName?.value.type === 'string' ? operationName.value.value : undefined;
  let facts: OperationFacts = { operations: 0 };
  if (query?.value.type === 'string') {
    const document = decodeGraphqlDocument(query.value.value, stringCharRange(offsets, query.value), name);
    facts = document.facts;
    children.push(
      ru(
        {
          kind: 'graphql-query',
          label: 'query: the GraphQL document, as a JSON string',
          range: jsonRange(offsets, { start: query.key.start, end: query.value.end }),
          children: [document.node],
        },
        'query: документ GraphQL в виде JSON-строки',
      ),
    );
  } else {
    children.push(
      ru({ kind: 'graphql-query', label: 'query', value: 'missing: no document to run', range, error: 'missing-query' }, 'query', 'нет: выполнять нечего'),
    );
  }
  if (operationName) {
    children.push(
      ru(
        {
          kind: 'graphql-operation-name',
          label: 'operationName: which operation of the document runs',
          value: operationName.value.type === 'string' ? operationName.value.value : 'null',
          range: jsonRange(offsets, { start: operationName.key.start, end: operationName.value.end }),
        },
        'operationName: какую операцию документа выполнить',
      ),
    );
  }
  if (variables) children.push(relabel(jsonTree(variables.value, 'variables', offsets), { kind: 'graphql-variables' }));
  if (extensions) children.push(relabel(jsonTree(extensions.value, 'extensions', offsets), { kind: 'graphql-extensions' }));
  const flat: Facts = { operations: facts.operations };
  if (facts.operationType) flat.operationType = facts.operationType;
  if (facts.operationName) flat.operationName = facts.operationName;
  else if (name) flat.operationName = name;
  if (facts.selection !== undefined) flat.selection = facts.selection;
  if (facts.rootFields !== undefined) flat.rootFields = facts.rootFields;
  if (facts.depth !== undefined) flat.depth = facts.depth;
  if (facts.aliases !== undefined) flat.aliases = facts.aliases;
  if (facts.syntaxError) flat.error = 'syntax-error';
  if (!query) flat.error = 'missing-query';
  const title = [facts.operationType ?? 'operation', facts.operationName ?? name].filter(Boolean).join(' ');
  return {
    node: { kind: 'graphql-request', label: `GraphQL ${title}`, value: facts.selection ? clip(facts.selection, 80) : '', range, children },
    facts: flat,
  };
}

/** {data, errors, extensions}: what an operation produced. */
export function decodeExecutionResult(result: JsonNode, offsets: PayloadOffsets): { node: WireNode; facts: Facts } {
  const range = jsonRange(offsets, result);
  if (result.type !== 'object') {
    return {
      node: ru(
        { kind: 'graphql-result', label: 'GraphQL result', value: 'not a JSON object', range, error: 'not-an-object' },
        'результат GraphQL',
        'не JSON-объект',
      ),
      facts: { error: 'not-an-object' },
    };
  }
  const facts: Facts = {};
  const children: WireNode[] = [];
  const data = entryOf(result, 'data');
  const errors = entryOf(result, 'errors');
  const extensions = entryOf(result, 'extensions');
  const budget = { left: MAX_JSON_NODES };
  facts.data = data !== undefined && data.value.type !== 'null';
  // Which root fields answered ("postAdded"), so a check can tell one subscription's events from another's.
  if (data?.value.type === 'object') facts.dataKeys = data.value.entries.map((entry) => entry.key.value).join(',');
  if (data) {
    children.push(
      relabel(jsonTree(data.value, 'data', offsets, budget), {
        kind: 'graphql-data',
        range: jsonRange(offsets, { start: data.key.start, end: data.value.end }),
      }),
    );
  }
  if (errors?.value.type === 'array') {
    facts.errors = errors.value.items.length;
    const errorNodes = errors.value.items.map((item, index) => {
      const message = entryOf(item, 'message')?.value;
      const code = entryOf(entryOf(item, 'extensions')?.value, 'code')?.value;
      if (index === 0 && message?.type === 'string') facts.errorMessage = message.value;
      if (index === 0 && code?.type === 'string') facts.errorCode = code.value;
      const tree = jsonTree(item, `[${index}]`, offsets, budget);
      const text = message?.type === 'string' ? clip(message.value) : (tree.value ?? '');
      const node: WireNode = { ...tree, kind: 'graphql-error', label: code?.type === 'string' ? `error ${code.value}` : `error ${index + 1}`, value: text };
      return ru(node, code?.type === 'string' ? `ошибка ${code.value}` : `ошибка ${index + 1}`, text);
    });
    children.push(
      ru(
        {
          kind: 'graphql-errors',
          label: `errors (${errorNodes.length})`,
          value: 'errors travel beside data, usually with HTTP 200',
          range: jsonRange(offsets, { start: errors.key.start, end: errors.value.end }),
          children: errorNodes,
        },
        `errors (${errorNodes.length})`,
        'ошибки идут рядом с data, обычно с HTTP 200',
      ),
    );
  }
  if (extensions) {
    for (const [key, value] of Object.entries(flattenScalars(extensions.value))) if (!(key in facts)) facts[key] = value;
    children.push(
      relabel(jsonTree(extensions.value, 'extensions', offsets, budget), {
        kind: 'graphql-extensions',
        range: jsonRange(offsets, { start: extensions.key.start, end: extensions.value.end }),
      }),
    );
  }
  const summary = [facts.data ? 'data' : 'no data', facts.errors ? `${facts.errors} error${facts.errors === 1 ? '' : 's'}` : '', facts.errorCode ?? '']
    .filter(Boolean)
    .join(' · ');
  const summaryRu = [facts.data ? 'data' : 'без data', facts.errors ? `ошибок: ${facts.errors}` : '', facts.errorCode ?? ''].filter(Boolean).join(' · ');
  return { node: ru({ kind: 'graphql-result', label: 'GraphQL result', value: summary, range, children }, 'результат GraphQL', summaryRu), facts };
}

/**
 * Every number, string or boolean inside `extensions` (the server's cost report…), named by its
 * innermost key; when two leaves share a key, both are named by their dotted path instead.
 */
export function flattenScalars(node: JsonNode): Facts {
  const leaves: Array<{ path: string[]; value: string | number | boolean }> = [];
  const visit = (value: JsonNode, path: string[]) => {
    if (path.length > 6) return;
    if (value.type === 'object') for (const entry of value.entries) visit(entry.value, [...path, entry.key.value]);
    else if (value.type === 'string' || value.type === 'number' || value.type === 'boolean') {
      if (path.length > 0) leaves.push({ path, value: value.value });
    }
  };
  visit(node, []);
  const counts = new Map<string, number>();
  for (const leaf of leaves) counts.set(leaf.path.at(-1)!, (counts.get(leaf.path.at(-1)!) ?? 0) + 1);
  const facts: Facts = {};
  for (const leaf of leaves) {
    const key = leaf.path.at(-1)!;
    facts[counts.get(key) === 1 ? key : leaf.path.join('.')] = leaf.value;
  }
  return facts;
}

/** A copy of a JSON tree node under another kind (and range), keeping its Russian text. */
function relabel(node: WireNode, patch: Partial<WireNode>): WireNode {
  const copy = { ...node, ...patch };
  return node.value !== undefined ? ru(copy, node.label, russianValue(node)) : ru(copy, node.label);
}

function russianValue(node: WireNode): string | undefined {
  return russianTextOf(node)?.value ?? node.value;
}
