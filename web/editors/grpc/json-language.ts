// Loaded only through a dynamic import (with Monaco): the JSON language service and its worker.
import { monaco, setUpMonaco } from '../http/monaco-setup.ts';
// before anything starts Monaco's services (register below does): http/monaco-setup.ts says why
import '../monaco-suggest-hover.ts';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';
import type { JsonSchema } from './request-json-schema.ts';

// monaco-setup.ts starts only the base editor worker; the JSON language service (completion,
// validation and hover from a JSON Schema) runs in a worker of its own, asked for by label.
const previous = self.MonacoEnvironment;
self.MonacoEnvironment = {
  ...previous,
  getWorker: (workerId: string, label: string) => (label === 'json' ? new JsonWorker() : (previous?.getWorker?.(workerId, label) as Worker)),
};

setUpMonaco();

export const JSON_LANGUAGE_ID = 'json';

const schemasByModel = new Map<string, JsonSchema>();

function applySchemas(): void {
  jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    enableSchemaRequest: false,
    schemaValidation: 'error',
    schemas: [...schemasByModel].map(([uri, schema]) => ({ uri: `${uri}#schema`, fileMatch: [uri], schema })),
  });
}

/** Each request editor has its own model URI and its own schema (the chosen method's input). */
export function setModelSchema(uri: string, schema: JsonSchema | null): void {
  if (schema) schemasByModel.set(uri, schema);
  else schemasByModel.delete(uri);
  applySchemas();
}

export { monaco };
