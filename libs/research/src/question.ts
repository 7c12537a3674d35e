import type { Tier } from '@spine/otc/tiers';
import type { AsOf, CaptureScope } from './capture-selection.ts';
import { PageCursor } from './page-token.ts';

/** The cursor of a question: every parameter but the page's own identifies it. */
export function cursorFor(name: string, args: Record<string, unknown>, query: { page_token?: string; page_size?: number }): PageCursor {
  const { page_token: token, page_size: _size, ...question } = { ...query, ...args };
  return new PageCursor({ name, ...question }, token);
}

/** The captures a question's parameters select. */
export function scopeOf(query: AsOf & { tier?: Tier; from?: string; to?: string }): CaptureScope {
  return {
    tiers: query.tier ? [query.tier] : undefined, from: query.from, to: query.to,
    as_of_published: query.as_of_published, as_of_captured: query.as_of_captured,
  };
}
