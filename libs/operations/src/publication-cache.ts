import type { PublicationProvider, PublishedLookup } from '@spine/scheduling';

/**
 * A provider that asks its source at most once per `ttlMs` (a page view must not cost a round trip to FINRA), and
 * sooner only for weeks older than it asked about. A failure is remembered as long, so an unreachable FINRA slows
 * one page view per period, not every one.
 */
export function cachedPublication(provider: PublicationProvider, ttlMs: number, now: () => number = Date.now): PublicationProvider {
  const cache = new Map<string, { at: number; oldest: string; answer: Promise<PublishedLookup | undefined> }>();
  return (source, oldestWeekEnding) => {
    const hit = cache.get(source);
    if (hit && now() - hit.at < ttlMs && hit.oldest <= oldestWeekEnding) return hit.answer;
    const answer = provider(source, oldestWeekEnding);
    cache.set(source, { at: now(), oldest: oldestWeekEnding, answer });
    return answer;
  };
}
