import { InputError } from '@spine/platform/errors';
import { describeIssues } from '@spine/platform/research/describe-issues';
import type { ResearchRoute } from '@spine/platform/research/research-pages';
import { regshoSymbolSchema } from '../schemas.ts';
import { landingPage } from './landing-page.ts';
import { REGSHO_PAGES, symbolPath } from './paths.ts';
import { symbolDailyDownload } from './symbol-download.ts';
import { symbolPage } from './symbol-page.ts';
import { symbolQuestion } from './symbol-question.ts';
import { weekPage } from './week-page.ts';

/** Reg SHO's research pages, under /research/datasets/regsho: what is loaded, a symbol's days (and their file), a week beside OTC's volume. */
export const REGSHO_RESEARCH_PAGES: readonly ResearchRoute[] = [
  { kind: 'page', path: REGSHO_PAGES, build: landingPage },
  // The symbol form's target: a symbol typed in any case lands on its page, with the range and point in time asked.
  {
    kind: 'redirect', path: `${REGSHO_PAGES}/symbol`,
    location: ({ query }) => {
      const symbol = regshoSymbolSchema.safeParse(query.symbol);
      if (!symbol.success) throw new InputError(`symbol: ${describeIssues(symbol.error)}`);
      const asked = new URLSearchParams(symbolQuestion(query)).toString();
      return `${symbolPath(symbol.data)}${asked ? `?${asked}` : ''}`;
    },
  },
  { kind: 'page', path: `${REGSHO_PAGES}/symbols/:symbol`, build: symbolPage },
  { kind: 'download', path: `${REGSHO_PAGES}/symbols/:symbol/download`, file: symbolDailyDownload },
  { kind: 'page', path: `${REGSHO_PAGES}/weeks/:week_ending`, build: weekPage },
];
