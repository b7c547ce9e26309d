import type { DescMessage } from '@bufbuild/protobuf';
import { useLang, useStrings, type Lang } from '../../kit/lang-context.ts';
import { useOwnTarget } from '../target-switch/own-target.ts';
import type { CellProps } from '../cell-props.ts';
import { russianTextOf } from '../../../wire/node-text.ts';
import type { WireNode } from '../../../wire/types.ts';
import { TEACHING_PACKAGE } from './teaching-schema.ts';
import { formatHex, type ByteSegment } from './workbench-model.ts';
import { workbenchStrings } from './strings.ts';
import { useWorkbench } from './use-workbench.ts';
import { HexColumn, JsonColumn } from './workbench-inputs.tsx';
import './protobuf-workbench.css';

/** The select's value for "decode without a schema" (no type name can be empty). */
const NO_SCHEMA = '';

export function ProtobufWorkbenchCell({ cellId, initialText, saveKey }: CellProps) {
  const lang = useLang();
  const t = useStrings(workbenchStrings);
  // the cells' one remembered target
  const ownTarget = useOwnTarget().mode === 'mine';
  const {
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
  } = useWorkbench(initialText, saveKey);

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
          <TypeSelect types={types} value={schema ? typeName : NO_SCHEMA} onChoose={chooseType} />
        </label>
        <button type="button" className="button button-quiet" onClick={reset} title={t.resetHint} data-testid="pbw-reset">
          {t.reset}
        </button>
      </div>

      <div className="pbw-columns">
        <JsonColumn cellId={cellId} schema={schema} jsonText={jsonText} jsonSchema={jsonSchema} jsonError={jsonError} encodeFrom={encodeFrom} />
        <HexColumn cellId={cellId} hexText={hexText} decodeFrom={decodeFrom} shown={shown} hexError={hexError} decodeError={decoded.error} />
      </div>

      <div className="pbw-heading">{t.stripLabel}</div>
      {shown.bytes.length === 0 ? (
        <p className="pbw-note">{t.emptyMessage}</p>
      ) : (
        <ByteStrip bytes={shown.bytes} segments={segments} lang={lang} lit={lit} onLight={setLit} />
      )}
      <StripLegend />

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

/** The message types to choose from: the lessons' teaching types, Wirelab's own, the rest; or none. */
function TypeSelect({ types, value, onChoose }: { types: DescMessage[]; value: string; onChoose(name: string): void }) {
  const t = useStrings(workbenchStrings);
  const teaching = types.filter((type) => type.typeName.startsWith(`${TEACHING_PACKAGE}.`));
  const wirelab = types.filter((type) => type.typeName.startsWith('wirelab.') && !teaching.includes(type));
  const others = types.filter((type) => !type.typeName.startsWith('wirelab.'));
  return (
    <select value={value} onChange={(event) => onChoose(event.target.value)} data-testid="pbw-type">
      <optgroup label={t.teachingTypes}>{teaching.map(option)}</optgroup>
      <optgroup label={t.wirelabTypes}>{wirelab.map(option)}</optgroup>
      <optgroup label={t.otherTypes}>{others.map(option)}</optgroup>
      <option value={NO_SCHEMA}>{t.noSchema}</option>
    </select>
  );
}

/** What the strip's colours mean: tag, length, value, error. */
function StripLegend() {
  const t = useStrings(workbenchStrings);
  return (
    <div className="pbw-legend" aria-hidden="true">
      <span className="pbw-role-tag">{t.legendTag}</span>
      <span className="pbw-role-length">{t.legendLength}</span>
      <span className="pbw-role-value">{t.legendValue}</span>
      <span className="pbw-role-error">{t.legendError}</span>
    </div>
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
