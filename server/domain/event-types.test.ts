import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOMAIN_EVENT_TYPES as fromBus } from './event-bus.ts';
import { DOMAIN_EVENT_TYPES } from './event-types.ts';

// The web app imports the event stream's contract by value (web/editors/sse/sse-cell.tsx): an
// import added to it would pull other code into the browser bundle.
const IMPORTED_BY_THE_WEB_APP = ['../../contracts/sse/events.ts'];

describe('the event types the web app shares with the server', () => {
  it.each(IMPORTED_BY_THE_WEB_APP)('%s imports nothing', (path) => {
    const source = readFileSync(new URL(path, import.meta.url), 'utf8');
    expect(source).not.toMatch(/^\s*(import|export .* from)\b/m);
  });

  it("are the bus's own list", () => {
    expect(fromBus).toBe(DOMAIN_EVENT_TYPES);
  });
});
