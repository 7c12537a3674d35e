import type { Tier } from '../tiers.ts';
import type { AsOf, CaptureScope } from './capture-selection.ts';

export { cursorFor } from '@spine/platform/research/page-token';

/** The captures a question's parameters select. */
export function scopeOf(query: AsOf & { tier?: Tier; from?: string; to?: string }): CaptureScope {
  return {
    tiers: query.tier ? [query.tier] : undefined, from: query.from, to: query.to,
    as_of_published: query.as_of_published, as_of_captured: query.as_of_captured,
  };
}
