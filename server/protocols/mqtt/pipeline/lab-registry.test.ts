import { describe, expect, it } from 'vitest';
import { AddressBudget } from '../../../limits/address-budget.ts';
import { withClientLimits } from '../../../limits/client-limits.ts';
import { LabRegistry } from './lab-registry.ts';
import { DEFAULT_PIPELINE_LIMITS } from './limits.ts';
import type { PipelineLab } from './pipeline-lab.ts';

function fakeLab(sandbox: string) {
  return {
    sandbox,
    lastUsed: 0,
    watchers: 0,
    closed: false,
    close() {
      this.closed = true;
    },
  };
}

describe('LabRegistry', () => {
  it('budgets labs per address; an address at its budget takes back its own least recently used unwatched lab once idle long enough', () => {
    let now = 0;
    const budget = new AddressBudget(withClientLimits({ connections: { pipelineLab: { perAddress: 2 } } }));
    const made: Array<ReturnType<typeof fakeLab>> = [];
    const registry = new LabRegistry(
      budget,
      { ...DEFAULT_PIPELINE_LIMITS, reclaimIdleMs: 60_000 },
      (sandbox) => {
        const lab = fakeLab(sandbox);
        made.push(lab);
        return lab as unknown as PipelineLab;
      },
      () => now,
    );
    expect(registry.admit('a', '10.0.0.1').lab).toBeDefined();
    now = 1_000;
    expect(registry.admit('b', '::ffff:10.0.0.1').lab).toBeDefined();
    // Another address has its own budget.
    expect(registry.admit('c', '10.0.0.2').lab).toBeDefined();
    now = 30_000;
    expect(registry.admit('d', '10.0.0.1')).toEqual({ retryAfterS: 30, max: 2 });
    made[0]!.watchers = 1;
    expect(registry.admit('d', '10.0.0.1')).toEqual({ retryAfterS: 31, max: 2 });
    now = 61_000;
    const admitted = registry.admit('d', '10.0.0.1');
    expect(admitted.lab).toBeDefined();
    // b slept (a is watched); its slot went to d.
    expect(made[1]!.closed).toBe(true);
    expect(registry.get('b')).toBeUndefined();
    expect(budget.openCount('pipelineLab', '10.0.0.1')).toBe(2);
  });
});
