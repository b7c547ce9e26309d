// What a GraphQL cell's source asks for, read once per render: the operation to run, its variables
// and headers, the HTTP request curl would send, and what "As code" writes. Pure: tested alone.
import { httpSpecOf, subscriptionSpecOf } from '../as-code/cell-spec.ts';
import { batchingSwitchedOff, parseHeaderLines, parseVariables, type GraphqlCellSource } from './cell-format.ts';
import { graphqlHttpRequest } from './curl-request.ts';
import { operationSource, pickOperation, type DocumentOutline } from './operations.ts';

/** The cell's source read against its document's outline and the operation the student picked. */
export function readCellRequest(source: GraphqlCellSource, outline: DocumentOutline, wantedOperation: string | number | null) {
  const operations = outline.ok ? outline.operations : [];
  const operationIndex = pickOperation(operations, wantedOperation);
  const operation = operations[operationIndex];
  const variables = parseVariables(source.variables);
  const headers = parseHeaderLines(source.headers);
  const isSubscription = operation?.type === 'subscription';
  const curlRequest =
    outline.ok && operation && !isSubscription && variables.ok && headers.ok
      ? graphqlHttpRequest(operationSource(source.document, outline.document, operationIndex), variables.value, headers.headers, operation.name)
      : null;

  // a query or mutation: the HTTP request curl would send; a subscription: graphql-transport-ws
  const asCodeSpec = () => {
    if (curlRequest) return httpSpecOf(curlRequest);
    if (!isSubscription || !outline.ok || !variables.ok) return null;
    return subscriptionSpecOf(operationSource(source.document, outline.document, operationIndex), variables.value, operation.name);
  };

  return {
    operations,
    operationIndex,
    operation,
    variables,
    batchingOn: !(headers.ok && batchingSwitchedOff(headers.headers)),
    isSubscription,
    curlRequest,
    asCodeSpec,
  };
}
