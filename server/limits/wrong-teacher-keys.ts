import { clientAddress, type AddressBudget } from './address-budget.ts';

// Wrong teacher keys per client address (issue 51): a short TEACHER_KEY fell to 432 keep-alive
// GETs in one second. Only a wrong key spends from the address's bucket (`teacherKeys`,
// client-limits.ts); once it is empty every try from that address is refused before the key is
// compared — a right key too, or the answer would tell a guesser which key was right — until a
// token comes back (Retry-After). The address is the connection's own (the TCP peer or the PROXY
// protocol's client), never X-Forwarded-For, which a guesser behind a byte relay writes itself.

export type TeacherKeyVerdict = { ok: true } | { ok: false; limited: false } | { ok: false; limited: true; retryAfterS: number };

/** Where a burst of wrong keys is told: one line per burst, not one per try. */
export type WrongKeysLog = (fields: { address: string; wrongKeys: number; windowS: number; retryAfterS: number }, message: string) => void;

/** Past this many addresses in a burst at once, the oldest are forgotten (told again if they come back). */
const MAX_BURSTS = 4096;

export class WrongTeacherKeys {
  /** addresses refused since their bucket was last full: each told once */
  private readonly bursts = new Set<string>();

  constructor(
    private readonly budget: AddressBudget,
    private readonly log: WrongKeysLog,
  ) {}

  /** Judges one try from `address`: `isRight` runs only when the address may still try. */
  judge(address: string | undefined, isRight: () => boolean): TeacherKeyVerdict {
    const who = clientAddress(address);
    const { perAddress, windowMs } = this.budget.limits.rates.teacherKeys;
    const left = this.budget.tokensLeft('teacherKeys', who);
    if (left >= perAddress) this.bursts.delete(who);
    if (left < 1) {
      const refused = this.budget.takeRequest('teacherKeys', who);
      const retryAfterS = refused.ok ? 1 : refused.retryAfterS;
      this.tell(who, perAddress, windowMs, retryAfterS);
      return { ok: false, limited: true, retryAfterS };
    }
    if (isRight()) return { ok: true };
    this.budget.takeRequest('teacherKeys', who);
    return { ok: false, limited: false };
  }

  private tell(who: string, wrongKeys: number, windowMs: number, retryAfterS: number): void {
    if (this.bursts.has(who)) return;
    if (this.bursts.size >= MAX_BURSTS) this.bursts.delete(this.bursts.values().next().value!);
    this.bursts.add(who);
    this.log(
      { address: who, wrongKeys, windowS: windowMs / 1000, retryAfterS },
      `${wrongKeys} wrong teacher keys from ${who} within ${windowMs / 1000} s: its tries are refused (429) until its budget refills`,
    );
  }
}
