import { randomBytes } from 'node:crypto';
import { LAB_CLIENT_PREFIX } from './limits.ts';

/** A token not redeemed within this time (the lab's CONNECT never came) is forgotten. */
const TOKEN_TTL_MS = 60_000;

/**
 * How the broker tells the lab's own connections from everyone else's: each connection of a lab
 * consumer sends, as its CONNECT password, a token the lab made for it, good once. The broker
 * does not count such a connection in the address's MQTT budget (the labs are budgeted per
 * address themselves); a token seen in a capture is already spent.
 */
export class OwnConnectionTokens {
  private readonly tokens = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(): string {
    const now = this.now();
    if (this.tokens.size > 1000) {
      for (const [token, issued] of this.tokens) if (now - issued > TOKEN_TTL_MS) this.tokens.delete(token);
    }
    const token = `lab.${randomBytes(18).toString('base64url')}`;
    this.tokens.set(token, now);
    return token;
  }

  /** Is this CONNECT (the broker's client id `<sandbox>/pipeline/…`, its password) one of the lab's? Spends the token. */
  redeem(brokerClientId: string, password: Buffer | string | undefined): boolean {
    if (password === undefined || !brokerClientId.slice(brokerClientId.indexOf('/') + 1).startsWith(LAB_CLIENT_PREFIX)) return false;
    const token = password.toString();
    const issued = this.tokens.get(token);
    if (issued === undefined) return false;
    this.tokens.delete(token);
    return this.now() - issued <= TOKEN_TTL_MS;
  }
}
