import type { AddressBudget } from '../../../limits/address-budget.ts';
import type { PipelineLab } from './pipeline-lab.ts';
import type { PipelineLimits } from './limits.ts';

/** An awake lab, the client address that opened it and its slot in that address's lab budget. */
interface OpenLab {
  lab: PipelineLab;
  address: string | undefined;
  release: () => void;
}

export type LabAdmission = { lab: PipelineLab; retryAfterS?: undefined } | { lab?: undefined; retryAfterS: number; max: number };

/**
 * The awake labs of this instance. Each holds MQTT connections, so they are bounded twice: per
 * client address (the `pipelineLab` budget of server/limits/: one address cannot open hundreds)
 * and on the whole server (`maxOpenLabs`: past it the least recently used lab sleeps).
 */
export class LabRegistry {
  private readonly open = new Map<string, OpenLab>();

  constructor(
    private readonly budget: AddressBudget,
    private readonly limits: PipelineLimits,
    private readonly create: (sandbox: string) => PipelineLab,
    private readonly now: () => number = Date.now,
  ) {}

  get(sandbox: string): PipelineLab | undefined {
    return this.open.get(sandbox)?.lab;
  }

  labs(): PipelineLab[] {
    return [...this.open.values()].map((entry) => entry.lab);
  }

  /**
   * The sandbox's lab, woken if it sleeps. An address at its budget first puts its own least
   * recently used lab to sleep if nobody watched or used it for `reclaimIdleMs` (a closed page);
   * otherwise it is refused, with the seconds until one of its labs may be taken back.
   */
  admit(sandbox: string, address: string | undefined): LabAdmission {
    const known = this.open.get(sandbox);
    if (known) {
      known.lab.lastUsed = this.now();
      return { lab: known.lab };
    }
    if (this.open.size >= this.limits.maxOpenLabs) this.sleep(this.leastRecentlyUsed(() => true));
    let slot = this.budget.takeSlot('pipelineLab', address);
    if (slot.refused?.scope === 'server') {
      this.sleep(this.leastRecentlyUsed(() => true));
      slot = this.budget.takeSlot('pipelineLab', address);
    }
    if (slot.refused?.scope === 'address') {
      const reclaimable = this.leastRecentlyUsed((entry) => sameAddress(entry.address, address) && entry.lab.watchers === 0);
      if (reclaimable && this.now() - reclaimable.lab.lastUsed >= this.limits.reclaimIdleMs) {
        this.sleep(reclaimable);
        slot = this.budget.takeSlot('pipelineLab', address);
      } else {
        const waitMs = reclaimable ? reclaimable.lab.lastUsed + this.limits.reclaimIdleMs - this.now() : this.limits.reclaimIdleMs;
        return { retryAfterS: Math.max(1, Math.ceil(waitMs / 1000)), max: slot.refused.max };
      }
    }
    if (slot.refused) return { retryAfterS: Math.max(1, Math.ceil(this.limits.reclaimIdleMs / 1000)), max: slot.refused.max };
    const lab = this.create(sandbox);
    lab.lastUsed = this.now();
    this.open.set(sandbox, { lab, address, release: slot.release });
    return { lab };
  }

  /** Puts labs nobody asked anything for `idleMs` to sleep (no open event stream either). */
  sweep(): void {
    const now = this.now();
    for (const entry of [...this.open.values()]) {
      if (entry.lab.watchers === 0 && now - entry.lab.lastUsed > this.limits.idleMs) this.sleep(entry);
    }
  }

  closeAll(): void {
    for (const entry of [...this.open.values()]) this.sleep(entry);
  }

  private leastRecentlyUsed(eligible: (entry: OpenLab) => boolean): OpenLab | undefined {
    let oldest: OpenLab | undefined;
    for (const entry of this.open.values()) {
      if (eligible(entry) && (!oldest || entry.lab.lastUsed < oldest.lab.lastUsed)) oldest = entry;
    }
    return oldest;
  }

  /** Its consumers disconnect; their sessions and queues stay in the broker, and the lab catches up when asked again. */
  private sleep(entry: OpenLab | undefined): void {
    if (!entry) return;
    entry.lab.close();
    entry.release();
    this.open.delete(entry.lab.sandbox);
  }
}

function sameAddress(a: string | undefined, b: string | undefined): boolean {
  const plain = (raw: string | undefined) => (raw?.startsWith('::ffff:') ? raw.slice(7) : raw);
  return plain(a) === plain(b);
}
