/**
 * Limits on log-ins that a stranger cannot turn against a user:
 * - per user id *and* address, failures beyond `freeFailures` slow the next try down exponentially
 *   (1 s, 2 s, 4 s … at most `maxWaitMs`): guessing one password is slow, and someone failing at a
 *   user's id from another address (user ids are public) changes nothing for the user's own address;
 *   even at the same address it is a wait of at most `maxWaitMs`, never a lockout; a success clears it;
 * - per address across all users, at most `addressFailures` failures per window: one address cannot
 *   spray passwords over the whole directory (nor spend the CPU on scrypt); high enough that a
 *   village behind one shared address does not meet it by mistyping.
 * Kept in memory per API process: a restart forgets them (harmless: they only slow down), and two
 * processes behind a balancer each count their share. Hand-written: express-rate-limit (already
 * used) counts fixed windows and has no growing wait keyed on the last failure.
 */

export interface LoginLimitConfig {
  freeFailures: number;
  maxWaitMs: number;
  addressFailures: number;
  windowMs: number;
}

export type LoginCheck = { ok: true } | { ok: false; retryAfterMs: number; scope: 'user' | 'address' };

/** at most this many keys are remembered; beyond it the oldest are forgotten first */
const MAX_KEYS = 100_000;

export class LoginLimits {
  private readonly pairs = new Map<string, { failures: number; lastAt: number }>();
  private readonly addresses = new Map<string, { failures: number; since: number }>();

  constructor(
    private readonly config: LoginLimitConfig,
    private readonly now: () => number = Date.now,
  ) {}

  private pairKey(userId: string, address: string): string {
    return `${address}|${userId.trim().toLowerCase()}`;
  }

  /** Before the password is checked: may this user id be tried from this address now? */
  check(userId: string, address: string): LoginCheck {
    const now = this.now();
    const perAddress = this.addresses.get(address);
    if (perAddress && now - perAddress.since < this.config.windowMs) {
      if (perAddress.failures >= this.config.addressFailures) {
        return { ok: false, retryAfterMs: perAddress.since + this.config.windowMs - now, scope: 'address' };
      }
    }
    const pair = this.pairs.get(this.pairKey(userId, address));
    if (pair && now - pair.lastAt < this.config.windowMs) {
      const wait = this.waitAfter(pair.failures);
      if (now - pair.lastAt < wait) return { ok: false, retryAfterMs: pair.lastAt + wait - now, scope: 'user' };
    }
    return { ok: true };
  }

  /** How long after the last failure the next try may come: nothing while free, then doubling. */
  waitAfter(failures: number): number {
    const over = failures - this.config.freeFailures;
    if (over < 0) return 0;
    return Math.min(1000 * 2 ** Math.min(over, 30), this.config.maxWaitMs);
  }

  failed(userId: string, address: string): void {
    const now = this.now();
    const key = this.pairKey(userId, address);
    const pair = this.pairs.get(key);
    const failures = pair && now - pair.lastAt < this.config.windowMs ? pair.failures + 1 : 1;
    this.pairs.delete(key);
    this.pairs.set(key, { failures, lastAt: now });
    const perAddress = this.addresses.get(address);
    if (perAddress && now - perAddress.since < this.config.windowMs) perAddress.failures++;
    else {
      this.addresses.delete(address);
      this.addresses.set(address, { failures: 1, since: now });
    }
    this.forgetOldest();
  }

  succeeded(userId: string, address: string): void {
    this.pairs.delete(this.pairKey(userId, address));
  }

  private forgetOldest(): void {
    for (const map of [this.pairs, this.addresses] as Map<string, unknown>[]) {
      while (map.size > MAX_KEYS) {
        const oldest = map.keys().next().value;
        if (oldest === undefined) break;
        map.delete(oldest);
      }
    }
  }
}
