import type { Bilingual } from '../../../shared/bilingual.ts';
import { useMemo, useState } from 'react';
import type { DescMessage } from '@bufbuild/protobuf';
import { requestJsonSchema } from '../grpc/request-json-schema.ts';
import { useWorkbenchDraft } from './use-workbench-draft.ts';
import { byteSegments, decodeBytes, encodeJson, formatHex, parseHex, workbenchViewOf } from './workbench-model.ts';

interface Shown {
  bytes: Uint8Array;
  jsonSize: number | null;
}

/**
 * The workbench's state: the chosen type, the JSON and the hex (kept across reloads), the bytes
 * shown and what they decode to, the errors of either side; a JSON edit encodes, a hex edit
 * decodes, a new type re-encodes its starting value.
 */
export function useWorkbench(initialText: string, saveKey: string | undefined) {
  const { types, start, typeOf, original, draft, reset: resetDraft, setTypeName, setJsonText, setHexText } = useWorkbenchDraft(initialText, saveKey);
  const { typeName, jsonText, hexText } = draft;
  const schema = typeOf(typeName);
  const [firstView] = useState(() => workbenchViewOf(schema, draft));
  const [shown, setShown] = useState<Shown>({ bytes: firstView.bytes, jsonSize: firstView.jsonSize });
  const [jsonError, setJsonError] = useState<Bilingual | null>(firstView.jsonError);
  const [hexError, setHexError] = useState<Bilingual | null>(firstView.hexError);
  const [lit, setLit] = useState<{ start: number; end: number } | null>(null);

  const jsonSchema = useMemo(() => (schema ? requestJsonSchema(schema) : null), [schema]);
  const decoded = useMemo(() => decodeBytes(schema, shown.bytes), [schema, shown.bytes]);
  const segments = useMemo(() => byteSegments(decoded.tree), [decoded]);

  const encodeFrom = (type: DescMessage | undefined, text: string) => {
    setJsonText(text);
    if (!type) return;
    const result = encodeJson(type, text);
    if (!result.ok) {
      setJsonError(result.error);
      return;
    }
    setJsonError(null);
    setHexError(null);
    setHexText(formatHex(result.bytes));
    setShown({ bytes: result.bytes, jsonSize: result.jsonSize });
  };

  const decodeFrom = (text: string) => {
    setHexText(text);
    const parsed = parseHex(text);
    if (!parsed.ok) {
      setHexError(parsed.error);
      return;
    }
    setHexError(null);
    const result = decodeBytes(schema, parsed.bytes);
    let jsonSize: number | null = null;
    if (schema && result.json !== undefined) {
      setJsonText(result.json);
      setJsonError(null);
      const reencoded = encodeJson(schema, result.json);
      if (reencoded.ok) jsonSize = reencoded.jsonSize;
    }
    setShown({ bytes: parsed.bytes, jsonSize });
  };

  const chooseType = (name: string) => {
    setTypeName(name);
    const type = types.find((candidate) => candidate.typeName === name);
    if (!type) {
      // without a schema the same bytes stay, read by wire type alone
      setShown((previous) => ({ bytes: previous.bytes, jsonSize: null }));
      setJsonError(null);
      return;
    }
    encodeFrom(type, name === start.typeName ? start.json : '{}');
  };

  const reset = () => {
    resetDraft();
    setLit(null);
    const view = workbenchViewOf(typeOf(original.typeName), original);
    setShown({ bytes: view.bytes, jsonSize: view.jsonSize });
    setJsonError(view.jsonError);
    setHexError(view.hexError);
  };

  return {
    types,
    typeName,
    jsonText,
    hexText,
    schema,
    shown,
    jsonError,
    hexError,
    lit,
    setLit,
    jsonSchema,
    decoded,
    segments,
    encodeFrom,
    decodeFrom,
    chooseType,
    reset,
  };
}
