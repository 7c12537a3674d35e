import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type IRateLimiterStoreOptions } from 'rate-limiter-flexible';
import type { createRedis } from '@spine/orchestration';

type Redis = ReturnType<typeof createRedis>;

export interface LoginThrottleOptions {
  /** Failed sign-ins allowed per user name within the window, from any address. */
  failuresPerUser: number;
  /** Failed sign-ins allowed per client address within the window, for any user name. */
  failuresPerIp: number;
  windowSeconds: number;
  /** Keeps counters of dashboards on different queue prefixes (tests, stacks) apart. */
  keyPrefix: string;
}

/** Seconds to wait before trying again; 0 when the sign-in may go ahead. */
export type RetryAfter = number;

// User names are role names; anything longer is a guess and is counted under one key rather than one key each.
const MAX_USER_KEY_CHARS = 64;

function userKey(user: string): string {
  const key = user.trim().toLowerCase();
  return key.length > MAX_USER_KEY_CHARS ? `${key.slice(0, MAX_USER_KEY_CHARS)}…` : key;
}

function secondsUntil(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/**
 * Counts failed sign-ins (login form and basic auth) per user name and per client address in Redis, shared by all
 * dashboard replicas, with an in-memory fallback while Redis is unreachable (rate-limiter-flexible's insurance
 * limiter), so an outage neither opens sign-in to guessing nor locks everyone out. A key that used up its failures is
 * refused, right password or not, until the window ends.
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

  /** How long this address, or anyone signing in as this user, must wait; 0 when neither is throttled. */
  async retryAfter(ip: string, user: string): Promise<RetryAfter> {
    const [u, i] = await Promise.all([this.byUser.get(userKey(user)), this.byIp.get(ip)]);
    const waits = [[u, this.options.failuresPerUser], [i, this.options.failuresPerIp]] as const;
    return Math.max(0, ...waits.map(([res, limit]) => (res && res.consumedPoints >= limit ? secondsUntil(res) : 0)));
  }

  /** Counts one failed sign-in; returns the wait it now imposes (0 while failures remain). */
  async recordFailure(ip: string, user: string): Promise<RetryAfter> {
    const outcomes = await Promise.all([this.consume(this.byUser, userKey(user), this.options.failuresPerUser), this.consume(this.byIp, ip, this.options.failuresPerIp)]);
    return Math.max(...outcomes);
  }

  /** A successful sign-in clears the user's failures (not the address's: one right password must not reset guessing). */
  async recordSuccess(user: string): Promise<void> {
    await this.byUser.delete(userKey(user));
  }

  private async consume(limiter: RateLimiterRedis, key: string, limit: number): Promise<RetryAfter> {
    try {
      const res = await limiter.consume(key);
      return res.consumedPoints >= limit ? secondsUntil(res) : 0;
    } catch (rejection) {
      // The limiter rejects with a RateLimiterRes when the key is already blocked, and with an Error on failure.
      if (rejection instanceof RateLimiterRes) return secondsUntil(rejection);
      throw rejection;
    }
  }
}
