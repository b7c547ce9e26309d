import type { DescMessage } from '@bufbuild/protobuf';
import type { Bilingual } from '../../../shared/bilingual.ts';
import { useLang, useStrings } from '../../kit/lang-context.ts';
import { JsonEditor } from '../grpc/json-editor.tsx';
import type { requestJsonSchema } from '../grpc/request-json-schema.ts';
import { workbenchStrings } from './strings.ts';
import type { DecodeResult } from './workbench-model.ts';

interface JsonColumnProps {
  cellId: string;
  schema: DescMessage | undefined;
  jsonText: string;
  jsonSchema: ReturnType<typeof requestJsonSchema> | null;
  jsonError: Bilingual | null;
  encodeFrom(type: DescMessage, text: string): void;
}

/** The JSON side: an editor when a type is chosen (each edit encodes), and why the bytes did not follow. */
export function JsonColumn({ cellId, schema, jsonText, jsonSchema, jsonError, encodeFrom }: JsonColumnProps) {
  const lang = useLang();
  const t = useStrings(workbenchStrings);
  return (
    <div className="pbw-column">
      <div className="pbw-heading">{t.jsonLabel}</div>
      {schema ? (
        <JsonEditor
          modelId={`protobuf-workbench-${cellId}`}
          value={jsonText}
          onChange={(text) => encodeFrom(schema, text)}
          onRun={() => encodeFrom(schema, jsonText)}
          label={t.jsonLabel}
          schema={jsonSchema}
          testId="pbw-json"
        />
      ) : (
        <p className="pbw-note">{t.noSchemaJson}</p>
      )}
      <p className="pbw-note">{t.jsonHint}</p>
      {jsonError && (
        <div className="pbw-error" role="alert" data-testid="pbw-json-error">
          <strong>{t.jsonError}.</strong> {jsonError[lang]} <span className="pbw-note">{t.stale}</span>
        </div>
      )}
    </div>
  );
}

interface HexColumnProps {
  cellId: string;
  hexText: string;
  decodeFrom(text: string): void;
  shown: { bytes: Uint8Array; jsonSize: number | null };
  hexError: Bilingual | null;
  decodeError: DecodeResult['error'];
}

/** The bytes side: the hex typed (each edit decodes), the sizes, and what the hex or the decoding refused. */
export function HexColumn({ cellId, hexText, decodeFrom, shown, hexError, decodeError }: HexColumnProps) {
  const lang = useLang();
  const t = useStrings(workbenchStrings);
  const bytesError = hexError ?? (decodeError ? decodeError.text : null);
  return (
    <div className="pbw-column">
      <label className="pbw-heading" htmlFor={`pbw-hex-${cellId}`}>
        {t.hexLabel}
      </label>
      <textarea
        id={`pbw-hex-${cellId}`}
        className="code-textarea pbw-hex"
        value={hexText}
        onChange={(event) => decodeFrom(event.target.value)}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        rows={4}
        data-testid="pbw-hex"
      />
      <p className="pbw-note">{t.hexHint}</p>
      <Sizes binary={shown.bytes.length} json={shown.jsonSize} />
      {bytesError && (
        <div className="pbw-error" role="alert" data-testid="pbw-bytes-error" data-code={hexError ? 'hex' : decodeError?.code}>
          <strong>{hexError ? t.hexError : t.decodeError}.</strong> {bytesError[lang]}
        </div>
      )}
    </div>
  );
}

/** The message's size in binary and as JSON, and the one as a share of the other. */
function Sizes({ binary, json }: { binary: number; json: number | null }) {
  const t = useStrings(workbenchStrings);
  return (
    <p className="pbw-sizes" data-testid="pbw-sizes" data-binary-size={binary} data-json-size={json ?? undefined}>
      <span>{t.binarySize(binary)}</span>
      {json !== null && <span>{t.jsonSize(json)}</span>}
      {json !== null && json > 0 && <span>{t.ratio(Math.round((binary / json) * 100))}</span>}
    </p>
  );
}
