import { useMemo, useState } from 'react';
import { useSavedDraft } from '../saved-cell-state.ts';
import type { DescMessage } from '@bufbuild/protobuf';
import { useLang, useStrings, type Lang } from '../../app/lang-context.ts';
import { useHttpTarget } from '../http/http-target.ts';
import type { CellProps } from '../../lessons/cell-props.ts';
import { russianTextOf } from '../../wire/node-text.ts';
import type { WireNode } from '../../wire/types.ts';
import { JsonEditor } from '../grpc/json-editor.tsx';
import { requestJsonSchema } from '../grpc/request-json-schema.ts';
import { TEACHING_PACKAGE } from './teaching-schema.ts';
import { parseProtobufCell } from './workbench-cell-config.ts';
import { byteSegments, decodeBytes, encodeJson, formatHex, parseHex, workbenchDraftOf, workbenchMessages, workbenchViewOf, type Bilingual, type ByteSegment, type WorkbenchDraft } from './workbench-model.ts';
import { workbenchStrings } from './strings.ts';
import './protobuf-workbench.css';

/** The select's value for "decode without a schema" (no type name can be empty). */
const NO_SCHEMA = '';

interface Shown {
  bytes: Uint8Array;
  jsonSize: number | null;
}

export function ProtobufWorkbenchCell({ cellId, initialText, saveKey }: CellProps) {
  const lang = useLang();
  const t = useStrings(workbenchStrings);
  // the cells' one remembered target (moving to the console kit: the coordinator fixes the import on merge)
  const ownTarget = useHttpTarget().mode === 'mine';
  const types = useMemo(() => workbenchMessages(), []);
  const start = useMemo(() => {
    const parsed = parseProtobufCell(initialText);
    const config = parsed.ok ? parsed.config : { message: 'wirelab.users.v1.User', value: {} };
    return { typeName: config.message, json: JSON.stringify(config.value, null, 2) };
  }, [initialText]);

  const typeOf = (name: string) => types.find((type) => type.typeName === name);
  // the cell's starting value and its encoding: the student's edits are kept across reloads
  const original = useMemo<WorkbenchDraft>(() => workbenchDraftOf(typeOf(start.typeName), start.typeName, start.json), [start]);
  const { draft, edit, reset: resetDraft } = useSavedDraft(saveKey, original);
  const { typeName, jsonText, hexText } = draft;
  const setTypeName = (name: string) => edit({ typeName: name });
  const setJsonText = (text: string) => edit({ jsonText: text });
  const setHexText = (text: string) => edit({ hexText: text });
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

  const teaching = types.filter((type) => type.typeName.startsWith(`${TEACHING_PACKAGE}.`));
  const wirelab = types.filter((type) => type.typeName.startsWith('wirelab.') && !teaching.includes(type));
  const others = types.filter((type) => !type.typeName.startsWith('wirelab.'));
  const bytesError = hexError ?? (decoded.error ? decoded.error.text : null);

  return (
    <section className="pbw-cell" data-testid="cell" data-cell-id={cellId} data-kind="protobuf" aria-label={t.cellLabel(cellId)} lang={lang}>
      {ownTarget && (
        <p className="cell-message" data-testid="pbw-own-server-note">
          {t.ownServerNote}
        </p>
      )}
      <div className="pbw-toolbar">
        <label className="pbw-field">
          {t.messageType}
          <select value={schema ? typeName : NO_SCHEMA} onChange={(event) => chooseType(event.target.value)} data-testid="pbw-type">
            <optgroup label={t.teachingTypes}>{teaching.map(option)}</optgroup>
            <optgroup label={t.wirelabTypes}>{wirelab.map(option)}</optgroup>
            <optgroup label={t.otherTypes}>{others.map(option)}</optgroup>
            <option value={NO_SCHEMA}>{t.noSchema}</option>
          </select>
        </label>
        <button type="button" className="button button-quiet" onClick={reset} title={t.resetHint} data-testid="pbw-reset">
          {t.reset}
        </button>
      </div>

      <div className="pbw-columns">
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
          <p className="pbw-sizes" data-testid="pbw-sizes" data-binary-size={shown.bytes.length} data-json-size={shown.jsonSize ?? undefined}>
            <span>{t.binarySize(shown.bytes.length)}</span>
            {shown.jsonSize !== null && <span>{t.jsonSize(shown.jsonSize)}</span>}
            {shown.jsonSize !== null && shown.jsonSize > 0 && <span>{t.ratio(Math.round((shown.bytes.length / shown.jsonSize) * 100))}</span>}
          </p>
          {bytesError && (
            <div className="pbw-error" role="alert" data-testid="pbw-bytes-error" data-code={hexError ? 'hex' : decoded.error?.code}>
              <strong>{hexError ? t.hexError : t.decodeError}.</strong> {bytesError[lang]}
            </div>
          )}
        </div>
      </div>

      <div className="pbw-heading">{t.stripLabel}</div>
      {shown.bytes.length === 0 ? (
        <p className="pbw-note">{t.emptyMessage}</p>
      ) : (
        <ByteStrip bytes={shown.bytes} segments={segments} lang={lang} lit={lit} onLight={setLit} />
      )}
      <div className="pbw-legend" aria-hidden="true">
        <span className="pbw-role-tag">{t.legendTag}</span>
        <span className="pbw-role-length">{t.legendLength}</span>
        <span className="pbw-role-value">{t.legendValue}</span>
        <span className="pbw-role-error">{t.legendError}</span>
      </div>

      <div className="pbw-columns">
        <div className="pbw-column">
          <div className="pbw-heading">{t.treeLabel}</div>
          <div className="pbw-tree" role="tree" tabIndex={0} aria-label={t.treeLabel} data-testid="pbw-tree" onMouseLeave={() => setLit(null)}>
            <TreeRow node={decoded.tree} depth={0} lang={lang} onLight={setLit} />
          </div>
        </div>
        {schema && decoded.json !== undefined && (
          <div className="pbw-column">
            <div className="pbw-heading">{t.jsonFromBytes}</div>
            <pre className="pbw-json-back" data-testid="pbw-json-back" tabIndex={0}>
              {decoded.json}
            </pre>
          </div>
        )}
      </div>
    </section>
  );
}

function option(type: DescMessage) {
  return (
    <option key={type.typeName} value={type.typeName}>
      {type.typeName}
    </option>
  );
}

interface ByteStripProps {
  bytes: Uint8Array;
  segments: ByteSegment[];
  lang: Lang;
  lit: { start: number; end: number } | null;
  onLight(range: { start: number; end: number } | null): void;
}

function ByteStrip({ bytes, segments, lang, lit, onLight }: ByteStripProps) {
  return (
    <ol className="pbw-strip" data-testid="pbw-strip" onMouseLeave={() => onLight(null)}>
      {segments.map((segment) => {
        const on = lit !== null && segment.start < lit.end && segment.end > lit.start;
        return (
          <li
            key={segment.start}
            className={`pbw-segment pbw-role-${segment.role}${on ? ' pbw-lit' : ''}`}
            title={`${segment.field[lang] ? `${segment.field[lang]}\n` : ''}${segment.caption[lang]}`}
            data-role={segment.role}
            data-kind={segment.kind}
            data-start={segment.start}
            onMouseEnter={() => onLight(segment)}
          >
            <span className="pbw-bytes">{formatHex(bytes.subarray(segment.start, segment.end))}</span>
            <span className="pbw-caption">{segment.caption[lang]}</span>
          </li>
        );
      })}
    </ol>
  );
}

function TreeRow({ node, depth, lang, onLight }: { node: WireNode; depth: number; lang: Lang; onLight(range: { start: number; end: number }): void }) {
  const text = lang === 'ru' ? russianTextOf(node) : undefined;
  const label = text?.label ?? node.label;
  const value = text?.value ?? node.value;
  return (
    <div role="treeitem" aria-expanded={node.children?.length ? true : undefined}>
      <div
        className={`pbw-tree-row${node.error ? ' pbw-tree-error' : ''}`}
        style={{ paddingInlineStart: `${depth * 1.1 + 0.3}rem` }}
        data-kind={node.kind}
        onMouseEnter={() => onLight(node.range)}
      >
        <span className="pbw-tree-label">{label}</span>
        {value !== undefined && value !== '' && <span className="pbw-tree-value">{value}</span>}
        <span className="pbw-tree-offset">
          [{node.range.start}–{node.range.end})
        </span>
      </div>
      {node.children?.length ? (
        <div role="group">
          {node.children.map((child, index) => (
            <TreeRow key={index} node={child} depth={depth + 1} lang={lang} onLight={onLight} />
          ))}
        </div>
      ) : null}
    </div>
  );
}
