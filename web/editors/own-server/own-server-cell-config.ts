import { CHECKED_PROTOCOLS, type CheckedProtocol } from '../../../contracts/own-server/check-result.ts';
import { portOf } from '../../own-server/report-view.ts';
import { isObject, parseCellJson, unknownKeys } from '../console-kit/json-shape.ts';
import type { CellConfigParse } from '../console-kit/cell-config-parse.ts';

/**
 * `*.own-server.json` (lessons/README.md): the suite the cell starts with and where the student's
 * server is expected — the port the starter's README runs it on. The student may change both.
 */
export interface OwnServerCellConfig {
  protocol: CheckedProtocol;
  target: string;
}

export function parseOwnServerCell(text: string): CellConfigParse<OwnServerCellConfig> {
  const parsed = parseCellJson(text);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const value = parsed.value;
  if (!isObject(value)) return { ok: false, problems: ['the file must hold a JSON object { "protocol": "rest", "target": "127.0.0.1:8000" }'] };
  const problems = unknownKeys('the cell', value, ['protocol', 'target']);
  const protocol = CHECKED_PROTOCOLS.find((known) => known === value.protocol);
  if (!protocol) problems.push(`protocol must be one of ${CHECKED_PROTOCOLS.join(', ')} (got ${JSON.stringify(value.protocol)})`);
  const target = value.target;
  if (typeof target !== 'string' || portOf(target) === null || target !== target.trim()) {
    problems.push(`target must be host:port with a port 1–65535, e.g. "127.0.0.1:8000" (got ${JSON.stringify(target)})`);
  }
  if (problems.length > 0 || !protocol) return { ok: false, problems };
  return { ok: true, config: { protocol, target: target as string } };
}
