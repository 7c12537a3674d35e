import { publicationKey, type PublicationProvider, type PublishedLookup } from '@spine/scheduling/lag-report';

/**
 * A provider that asks its source at most once per `ttlMs` (a page view must not cost a round trip to FINRA), and
 * sooner only for weeks older than it asked about. A failure is remembered as long, so an unreachable FINRA slows
 * one page view per period, not every one.
 */
export function cachedPublication(provider: PublicationProvider, ttlMs: number, now: () => number = Date.now): PublicationProvider {
  const cache = new Map<string, { at: number; oldest: string; answer: Promise<PublishedLookup | undefined> }>();
  return (dataset, source, oldestPeriod) => {
    const key = publicationKey({ domain: dataset, source });
    const hit = cache.get(key);
    if (hit && now() - hit.at < ttlMs && hit.oldest <= oldestPeriod) return hit.answer;
    const answer = provider(dataset, source, oldestPeriod);
    cache.set(key, { at: now(), oldest: oldestPeriod, answer });
    return answer;
  };
}
