import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type IRateLimiterStoreOptions } from 'rate-limiter-flexible';
import type { createRedis } from '@spine/orchestration';
import { addressGroup } from './address-group.ts';

type Redis = ReturnType<typeof createRedis>;

export interface LoginThrottleOptions {
  /** Failed sign-ins allowed per user name within the window, from any address. */
  failuresPerUser: number;
  /** Failed sign-ins allowed per client (address, or IPv6 /64) within the window, for any user name. */
  failuresPerIp: number;
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
    /** The password was right: the attempt is no failure after all. */
    succeeded(): Promise<void>;
  };

// User names are role names; anything longer is a guess and is counted under one key rather than one key each.
const MAX_USER_KEY_CHARS = 64;

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
 * Counts sign-ins (login form and basic auth) per user name and per client in Redis, shared by all dashboard
 * replicas, with an in-memory fallback while Redis is unreachable (rate-limiter-flexible's insurance limiter), so an
 * outage neither opens sign-in to guessing nor locks everyone out. An attempt is counted before its password is
 * checked, so sign-ins arriving together cannot all pass one check of the count; a right password gives the attempt
 * back but clears nothing, so one client signing in does not reset the failures of another. A key that used up its
 * failures is refused, right password or not, until the window ends.
 */
export class LoginThrottle {
  private readonly byUser: RateLimiterRedis;
  private readonly byIp: RateLimiterRedis;

  constructor(redis: Redis, private readonly options: LoginThrottleOptions) {
    const limiter = (points: number, name: string) => {
      const common = { points, duration: options.windowSeconds, blockDuration: options.windowSeconds, keyPrefix: `${options.keyPrefix}:${name}` };
      const store: IRateLimiterStoreOptions = { ...common, storeClient: redis, insuranceLimiter: new RateLimiterMemory(common) };
      return new RateLimiterRedis(store);
    };
    this.byUser = limiter(options.failuresPerUser, 'login-failures-user');
    this.byIp = limiter(options.failuresPerIp, 'login-failures-ip');
  }

  /** Counts a sign-in as `user` from `ip` before its password is checked, or refuses it. */
  async attempt(ip: string, user: string): Promise<SignInAttempt> {
    const counters: Counter[] = [
      { limiter: this.byUser, key: userKey(user), limit: this.options.failuresPerUser },
      { limiter: this.byIp, key: addressGroup(ip), limit: this.options.failuresPerIp },
    ];
    const taken = await Promise.all(counters.map((c) => take(c)));
    const giveBack = (counted: Counter[]) => Promise.all(counted.map((c) => c.limiter.reward(c.key))).then(() => undefined);
    const refused = taken.filter((t) => !t.admitted);
    if (refused.length) {
      // A refused attempt checks no password, so it counts nowhere.
      await giveBack(counters.filter((_, i) => taken[i]!.admitted));
      return { admitted: false, retryAfter: Math.max(...refused.map((t) => secondsUntil(t.res))) };
    }
    const waitIfWrong = Math.max(0, ...taken.map((t, i) => (t.res.consumedPoints >= counters[i]!.limit ? secondsUntil(t.res) : 0)));
    return { admitted: true, waitIfWrong, succeeded: () => giveBack(counters) };
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
