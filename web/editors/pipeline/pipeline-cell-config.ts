import { isObject, parseCellJson, unknownKeys } from '../console-kit/json-shape.ts';
import type { CellConfigParse } from '../console-kit/cell-config-parse.ts';

/**
 * Parts of the lab a cell shows (the consumers and the notifications are always there):
 * `direct` the REST call to the worker, `queue` publishing orders, `fanout` adding subscribers,
 * `group` the consumer group's members and partitions, `retained` a retained order and a late subscriber.
 */
export const PIPELINE_PANELS = ['direct', 'queue', 'fanout', 'group', 'retained'] as const;
export type PipelinePanel = (typeof PIPELINE_PANELS)[number];

/** `*.pipeline.json` (lessons/README.md). */
export interface PipelineCellConfig {
  panels: PipelinePanel[];
}

export function parsePipelineCell(text: string): CellConfigParse<PipelineCellConfig> {
  const parsed = parseCellJson(text);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const value = parsed.value;
  if (!isObject(value)) return { ok: false, problems: ['the file must hold a JSON object { "panels": ["direct", "queue"] }'] };
  const problems = unknownKeys('the cell', value, ['panels']);
  const panels = value.panels;
  if (!Array.isArray(panels) || panels.length === 0) {
    problems.push(`panels must be a non-empty list of ${PIPELINE_PANELS.join(', ')}`);
  } else {
    for (const panel of panels) {
      if (!(PIPELINE_PANELS as readonly unknown[]).includes(panel))
        problems.push(`panels: unknown panel ${JSON.stringify(panel)} (known: ${PIPELINE_PANELS.join(', ')})`);
    }
    if (new Set(panels).size !== panels.length) problems.push('panels: each panel once');
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config: { panels: panels as PipelinePanel[] } };
}
