import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

// Renew or release only a lease we still hold: compare-and-act atomically in Redis.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface Leadership {
  leader: boolean;
  /** Increases with every new leader; work stamped with an older token is from a deposed leader. */
  fencingToken: number | null;
}

/**
 * Leader election among scheduler replicas: a Redis key set with NX and a TTL, renewed by its holder on every tick.
 * Each acquisition takes a new fencing token from a counter. If the leader dies, the key expires and the next
 * replica to try takes over, so failover takes at most one tick interval plus the TTL.
 */
export class LeaderLease {
  readonly holderId = randomUUID();
  private token: number | null = null;

  constructor(private readonly redis: Redis, private readonly key: string, private readonly ttlMs: number) {}

  async acquireOrRenew(): Promise<Leadership> {
    if (await this.renew(this.token)) return { leader: true, fencingToken: this.token };
    this.token = null;
    const candidate = await this.redis.incr(`${this.key}:fence`);
    const acquired = await this.redis.set(this.key, `${this.holderId}:${candidate}`, 'PX', this.ttlMs, 'NX');
    if (acquired === 'OK') this.token = candidate;
    return { leader: this.token !== null, fencingToken: this.token };
  }

  /**
   * Throws unless this replica still holds the lease under `token`, and extends it when it does (in one step): work
   * stamped with a deposed token stops, and a long enqueue does not let a live leader's lease lapse.
   */
  async assertHolds(token: number | null): Promise<void> {
    if (!(await this.renew(token))) throw new LeaseLostError(token, await this.currentHolder());
  }

  /** Extends the lease when this replica holds it under `token`; false when it does not (or holds no token). */
  private async renew(token: number | null): Promise<boolean> {
    return token !== null && (await this.redis.eval(RENEW, 1, this.key, `${this.holderId}:${token}`, String(this.ttlMs))) === 1;
  }

  /** The current holder's value, `<holderId>:<token>`, or null when nobody leads. */
  async currentHolder(): Promise<string | null> {
    return this.redis.get(this.key);
  }

  async release(): Promise<void> {
    if (this.token !== null) await this.redis.eval(RELEASE, 1, this.key, `${this.holderId}:${this.token}`);
    this.token = null;
  }
}

export class LeaseLostError extends Error {
  constructor(readonly fencingToken: number | null, readonly holder: string | null) {
    super(`leader lease lost: fencing token ${fencingToken ?? 'none'} is no longer the holder (now ${holder ?? 'nobody'})`);
    this.name = 'LeaseLostError';
  }
}
