import { parseCellText, parseHeaderLines, parseVariables } from './cell-format.ts';
import { outlineDocument } from './operations.ts';

/** What is wrong with a graphql cell file, for the lesson-format check ([] when fine). */
export function graphqlCellProblems(text: string): string[] {
  const source = parseCellText(text);
  const problems: string[] = [];
  const outline = outlineDocument(source.document);
  if (!outline.ok) problems.push(`GraphQL syntax error at ${outline.line}:${outline.column}: ${outline.message}`);
  else if (outline.operations.length === 0) problems.push('the document has no operation');
  const variables = parseVariables(source.variables);
  if (!variables.ok) problems.push(`### variables is not a JSON object: ${variables.message}`);
  const headers = parseHeaderLines(source.headers);
  if (!headers.ok) problems.push(`### headers, line ${headers.line}: "${headers.text}" is not "Name: value"`);
  return problems;
}
