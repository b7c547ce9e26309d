// What the response panel shows, worked out from the raw response body (what crossed the wire)
// or, for a cache hit, from urql's cached result. Pure: tested without a browser.
import { serverTextIn } from '../server-text.ts';

export interface ErrorView {
  /** in the page's language when the server sent a translation (extensions.localized) */
  message: string;
  /** the message exactly as the server wrote it, when a translation replaced it */
  original?: string;
  code?: string;
  path?: string;
  line?: number;
  column?: number;
}

export interface ResultView {
  /** present when the body carried a data key (null counts: data: null is an answer too) */
  data?: unknown;
  errors: ErrorView[];
  /** the `extensions` of the result: the server's cost report */
  extensions?: Record<string, unknown>;
  /** extensions flattened to "key path → number/string", for a compact table */
  extensionRows: Array<[string, string]>;
  /** the body was not a GraphQL result (not JSON, or not an object) */
  notGraphql: boolean;
}

export function viewOfBody(body: string, lang: 'ru' | 'en'): ResultView {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { errors: [], extensionRows: [], notGraphql: true };
  }
  return viewOfResult(parsed, lang);
}

export function viewOfResult(result: unknown, lang: 'ru' | 'en'): ResultView {
  if (!result || typeof result !== 'object' || Array.isArray(result)) return { errors: [], extensionRows: [], notGraphql: true };
  const record = result as Record<string, unknown>;
  const errors = Array.isArray(record.errors) ? record.errors.map((error) => errorView(error, lang)) : [];
  const extensions =
    record.extensions && typeof record.extensions === 'object' && !Array.isArray(record.extensions)
      ? (record.extensions as Record<string, unknown>)
      : undefined;
  return {
    ...('data' in record ? { data: record.data } : {}),
    errors,
    ...(extensions ? { extensions } : {}),
    extensionRows: extensions ? flattenRows(extensions) : [],
    notGraphql: !('data' in record) && !('errors' in record),
  };
}

function errorView(error: unknown, lang: 'ru' | 'en'): ErrorView {
  if (!error || typeof error !== 'object') return { message: String(error) };
  const record = error as Record<string, unknown>;
  const original = typeof record.message === 'string' ? record.message : JSON.stringify(error);
  const extensions = (record.extensions ?? {}) as Record<string, unknown>;
  const localized = extensions.localized as Record<string, unknown> | undefined;
  const sentTranslation = localized && typeof localized[lang] === 'string' ? (localized[lang] as string) : undefined;
  // no translation sent (graphql-js's own parse and validation errors): the page's glossary
  const translated = sentTranslation ?? serverTextIn(original, lang) ?? undefined;
  const location = Array.isArray(record.locations) ? (record.locations[0] as { line?: number; column?: number } | undefined) : undefined;
  return {
    message: translated ?? original,
    ...(translated && translated !== original ? { original } : {}),
    ...(typeof extensions.code === 'string' ? { code: extensions.code } : {}),
    ...(Array.isArray(record.path) ? { path: record.path.join('.') } : {}),
    ...(typeof location?.line === 'number' ? { line: location.line } : {}),
    ...(typeof location?.column === 'number' ? { column: location.column } : {}),
  };
}

/** {cost: {storageQueries: 2}} → [["cost.storageQueries", "2"]]; arrays and long values shown as JSON. */
export function flattenRows(value: Record<string, unknown>, prefix = ''): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (child && typeof child === 'object' && !Array.isArray(child)) rows.push(...flattenRows(child as Record<string, unknown>, path));
    else rows.push([path, typeof child === 'string' ? child : JSON.stringify(child)]);
  }
  return rows;
}
