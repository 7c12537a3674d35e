import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { createRedis } from '@spine/orchestration';

type Redis = ReturnType<typeof createRedis>;

/**
 * Requests per minute per read-only API token, counted in Redis so every dashboard replica shares the count, with an
 * in-memory count while Redis is unreachable (rate-limiter-flexible's insurance limiter): an outage neither stops the
 * API nor lifts the limit.
 */
export class TokenRateLimit {
  readonly #limiter: RateLimiterRedis;

  constructor(redis: Redis, options: { requestsPerMinute: number; keyPrefix: string }) {
    const common = { points: options.requestsPerMinute, duration: 60, keyPrefix: `${options.keyPrefix}:research-api-token` };
    this.#limiter = new RateLimiterRedis({ ...common, storeClient: redis, insuranceLimiter: new RateLimiterMemory(common) });
  }

  /** Counts one request of the token; the seconds to wait when it has none left this minute, else 0. */
  async take(tokenId: number): Promise<number> {
    try {
      await this.#limiter.consume(String(tokenId));
      return 0;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw rejection;
    }
  }
}
