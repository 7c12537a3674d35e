import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type IRateLimiterStoreOptions } from 'rate-limiter-flexible';
import type { createRedis } from '@spine/orchestration';
import { addressGroup } from './address-group.ts';

type Redis = ReturnType<typeof createRedis>;

export interface LoginThrottleOptions {
  /** Failed sign-ins allowed per user name from one client (address, or IPv6 /64) within the window. */
  failuresPerUserIp: number;
  /** Failed sign-ins allowed per client within the window, for any user name. */
  failuresPerIp: number;
  /** Failed sign-ins per user name, from any client, after which every sign-in as that user waits before its check. */
  failuresPerUser: number;
  /** The longest such wait. */
  slowdownMaxMs: number;
  windowSeconds: number;
  /** Keeps counters of dashboards on different queue prefixes (tests, stacks) apart. */
  keyPrefix: string;
}

/** Seconds to wait before trying again; 0 when the sign-in may go ahead. */
export type RetryAfter = number;

/** One sign-in, counted as a failure from the start; a right password gives it back. */
export type SignInAttempt =
  | { admitted: false; retryAfter: RetryAfter }
  | {
    admitted: true;
    /** The seconds a wrong password on this attempt makes the client wait (0 while failures remain). */
    waitIfWrong: RetryAfter;
    /** The password was right: the attempt is no failure after all, and this client's failures for the user end. */
    succeeded(): Promise<void>;
  };

// User names are role names; anything longer is a guess and is counted under one key rather than one key each.
const MAX_USER_KEY_CHARS = 64;
const FIRST_SLOWDOWN_MS = 250;

function userKey(user: string): string {
  const key = user.trim().toLowerCase();
  return key.length > MAX_USER_KEY_CHARS ? `${key.slice(0, MAX_USER_KEY_CHARS)}…` : key;
}

function secondsUntil(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

interface Counter {
  limiter: RateLimiterRedis;
  key: string;
  limit: number;
}

/**
 * Counts sign-ins (login form and basic auth) in Redis, shared by all dashboard replicas, with an in-memory fallback
 * while Redis is unreachable (rate-limiter-flexible's insurance limiter), so an outage neither opens sign-in to
 * guessing nor locks everyone out.
 *
 * A client (address, or IPv6 /64) that used up its failures for one user name, or for all names together, is refused
 * until the window ends. Failures for a user name from everywhere only slow sign-ins as that user down, by a wait
 * that grows with them and is capped: a hard limit there would let anyone with enough addresses keep the user locked
 * out. An attempt is counted before its password is checked, so sign-ins arriving together cannot all pass one check
 * of the count; a right password gives the attempt back and clears that client's failures for the user, nobody else's.
 */
export class LoginThrottle {
  private readonly byUserIp: RateLimiterRedis;
  private readonly byIp: RateLimiterRedis;
  private readonly byUser: RateLimiterRedis;

  constructor(redis: Redis, private readonly options: LoginThrottleOptions) {
    const limiter = (points: number, name: string, blockDuration: number) => {
      const common = { points, duration: options.windowSeconds, blockDuration, keyPrefix: `${options.keyPrefix}:${name}` };
      const store: IRateLimiterStoreOptions = { ...common, storeClient: redis, insuranceLimiter: new RateLimiterMemory(common) };
      return new RateLimiterRedis(store);
    };
    this.byUserIp = limiter(options.failuresPerUserIp, 'login-failures-user-ip', options.windowSeconds);
    this.byIp = limiter(options.failuresPerIp, 'login-failures-ip', options.windowSeconds);
    this.byUser = limiter(Number.MAX_SAFE_INTEGER, 'login-failures-user', 0);
  }

  /** Counts a sign-in as `user` from `ip` before its password is checked, or refuses it; waits out the slow-down. */
  async attempt(ip: string, user: string): Promise<SignInAttempt> {
    const client = addressGroup(ip);
    const name = userKey(user);
    const pair: Counter = { limiter: this.byUserIp, key: `${name}@${client}`, limit: this.options.failuresPerUserIp };
    const address: Counter = { limiter: this.byIp, key: client, limit: this.options.failuresPerIp };
    const taken = await Promise.all([take(pair), take(address)]);
    const refused = taken.filter((t) => !t.admitted);
    if (refused.length) {
      // A refused attempt checks no password, so it counts nowhere.
      await Promise.all([pair, address].filter((_, i) => taken[i]!.admitted).map((c) => c.limiter.reward(c.key)));
      return { admitted: false, retryAfter: Math.max(...refused.map((t) => secondsUntil(t.res))) };
    }
    const waitIfWrong = Math.max(0, ...[pair, address].map((c, i) => (taken[i]!.res.consumedPoints >= c.limit ? secondsUntil(taken[i]!.res) : 0)));
    const { consumedPoints } = await this.byUser.consume(name);
    await this.slowDown(consumedPoints - 1);
    return {
      admitted: true, waitIfWrong,
      succeeded: async () => {
        await Promise.all([pair.limiter.delete(pair.key), address.limiter.reward(address.key), this.byUser.reward(name)]);
      },
    };
  }

  /** Waits 0.25 s once the user's earlier failures reach the count, doubling with each further one, up to the cap. */
  private async slowDown(earlierFailures: number): Promise<void> {
    const over = earlierFailures - this.options.failuresPerUser;
    // A timer, not a busy wait: the dashboard goes on serving everyone else meanwhile.
    if (over >= 0) await sleep(Math.min(this.options.slowdownMaxMs, FIRST_SLOWDOWN_MS * 2 ** over));
  }
}

async function take({ limiter, key }: Counter): Promise<{ admitted: boolean; res: RateLimiterRes }> {
  try {
    return { admitted: true, res: await limiter.consume(key) };
  } catch (rejection) {
    // The limiter rejects with a RateLimiterRes when the key has no attempts left, and with an Error on failure.
    if (rejection instanceof RateLimiterRes) return { admitted: false, res: rejection };
    throw rejection;
  }
}
