import { InputError } from '@spine/platform/errors';
import { describeIssues } from '@spine/platform/research/describe-issues';
import type { ResearchRoute } from '@spine/platform/research/research-pages';
import { symbolSchema } from '../request-schemas.ts';
import { coveragePage } from './coverage-page.ts';
import { symbolDownload, weekDownload } from './downloads.ts';
import { operationsPage } from './operations-page.ts';
import { symbolPage } from './symbol-page.ts';
import { weekPage } from './week-page.ts';

/**
 * OTC's research pages, at /research (the dashboard's research area, where they were before datasets had pages of
 * their own): coverage with quality grades, a symbol's page, a tier-week page, load lag and throughput for operators,
 * and the CSV and Parquet downloads of a symbol or a week.
 */
export const OTC_RESEARCH_PAGES: readonly ResearchRoute[] = [
  { kind: 'page', path: '/research', build: coveragePage },
  // The symbol form's target: a symbol typed in any case lands on its page.
  {
    kind: 'redirect', path: '/research/symbol',
    location: ({ query }) => {
      const symbol = symbolSchema.safeParse(query.symbol);
      if (!symbol.success) throw new InputError(`symbol: ${describeIssues(symbol.error)}`);
      const tier = typeof query.tier === 'string' && query.tier ? `?tier=${encodeURIComponent(query.tier)}` : '';
      return `/research/symbols/${encodeURIComponent(symbol.data)}${tier}`;
    },
  },
  { kind: 'page', path: '/research/symbols/:symbol', build: symbolPage },
  { kind: 'page', path: '/research/weeks/:week_ending/:tier', build: weekPage },
  { kind: 'page', path: '/research/operations', build: operationsPage },
  { kind: 'download', path: '/research/symbols/:symbol/download', file: symbolDownload },
  { kind: 'download', path: '/research/weeks/:week_ending/:tier/download', file: weekDownload },
];
