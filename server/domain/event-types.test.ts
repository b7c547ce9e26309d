import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOMAIN_EVENT_TYPES as fromBus } from './event-bus.ts';
import { DOMAIN_EVENT_TYPES } from './event-types.ts';

// The web app imports these modules by value (web/editors/sse/sse-cell.tsx): an import added to
// them would pull server code into the browser bundle.
const IMPORTED_BY_THE_WEB_APP = ['./event-types.ts', '../protocols/sse/limits.ts'];

describe('the event types the web app shares with the server', () => {
  it.each(IMPORTED_BY_THE_WEB_APP)('%s imports nothing', (path) => {
    const source = readFileSync(new URL(path, import.meta.url), 'utf8');
    expect(source).not.toMatch(/^\s*(import|export .* from)\b/m);
  });

  it('are the bus\'s own list', () => {
    expect(fromBus).toBe(DOMAIN_EVENT_TYPES);
  });
});
