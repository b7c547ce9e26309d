import { describe, expect, it } from 'vitest';
import { parsePipelineCell } from './pipeline-cell-config.ts';

describe('parsePipelineCell', () => {
  it('reads the panels a cell shows', () => {
    expect(parsePipelineCell('{ "panels": ["direct", "queue"] }')).toEqual({ ok: true, config: { panels: ['direct', 'queue'] } });
  });

  it('names every problem of a malformed file', () => {
    expect(parsePipelineCell('[')).toMatchObject({ ok: false });
    expect(parsePipelineCell('[]')).toMatchObject({ ok: false, problems: [expect.stringMatching(/JSON object/)] });
    expect(parsePipelineCell('{ "panels": [] }')).toMatchObject({ ok: false, problems: [expect.stringMatching(/non-empty/)] });
    const parsed = parsePipelineCell('{ "panels": ["queue", "kafka", "queue"], "url": "/x" }');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problems).toEqual([
        expect.stringMatching(/unknown field "url"/),
        expect.stringMatching(/unknown panel "kafka"/),
        expect.stringMatching(/each panel once/),
      ]);
    }
  });
});
