import { describe, expect, it } from 'vitest';
import { FIRST_WAIT_MS, GIVE_UP_AFTER_MS, importAgain, isModuleFetchFailure, LONGEST_WAIT_MS } from './import-again.ts';

const fetchFailure = () => new TypeError('Failed to fetch dynamically imported module: http://127.0.0.1:8080/assets/dock-resizer-OZqTjmuI.js');

/** A clock that moves only when the import waits: each wait is recorded. */
function fakeClock() {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    wait: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
}

describe('isModuleFetchFailure', () => {
  it("knows the three browsers' words for a module whose file could not be fetched", () => {
    expect(isModuleFetchFailure(fetchFailure())).toBe(true);
    expect(isModuleFetchFailure(new TypeError('error loading dynamically imported module: http://localhost/assets/x.js'))).toBe(true);
    expect(isModuleFetchFailure(new TypeError('Importing a module script failed.'))).toBe(true);
  });

  it("does not take a module's own error for one", () => {
    expect(isModuleFetchFailure(new ReferenceError('monaco is not defined'))).toBe(false);
    expect(isModuleFetchFailure(new SyntaxError("Unexpected token '<'"))).toBe(false);
    expect(isModuleFetchFailure(undefined)).toBe(false);
  });
});

describe('importAgain', () => {
  it('imports again, each wait twice the one before, until the chunk comes', async () => {
    const clock = fakeClock();
    let tries = 0;
    const module = await importAgain(
      async () => {
        tries += 1;
        if (tries < 4) throw fetchFailure();
        return { DockResizer: 'the part' };
      },
      clock.wait,
      clock.now,
    );
    expect(module).toEqual({ DockResizer: 'the part' });
    expect(tries).toBe(4);
    expect(clock.waits).toEqual([FIRST_WAIT_MS, FIRST_WAIT_MS * 2, FIRST_WAIT_MS * 4]);
  });

  it('waits at most the longest wait, and gives the failure to the caller once two minutes have gone', async () => {
    const clock = fakeClock();
    let tries = 0;
    const failure = fetchFailure();
    const importing = importAgain(
      async () => {
        tries += 1;
        throw failure;
      },
      clock.wait,
      clock.now,
    );
    await expect(importing).rejects.toBe(failure);
    expect(Math.max(...clock.waits)).toBe(LONGEST_WAIT_MS);
    expect(clock.waits.slice(0, 6)).toEqual([500, 1000, 2000, 4000, 8000, LONGEST_WAIT_MS]);
    const waited = clock.waits.reduce((sum, ms) => sum + ms, 0);
    expect(waited).toBeLessThanOrEqual(GIVE_UP_AFTER_MS);
    expect(waited).toBeGreaterThan(GIVE_UP_AFTER_MS - LONGEST_WAIT_MS);
    expect(tries).toBe(clock.waits.length + 1);
  });

  it("gives a module's own error to the caller at once", async () => {
    const clock = fakeClock();
    const own = new ReferenceError('monaco is not defined');
    await expect(
      importAgain(
        async () => {
          throw own;
        },
        clock.wait,
        clock.now,
      ),
    ).rejects.toBe(own);
    expect(clock.waits).toEqual([]);
  });
});
