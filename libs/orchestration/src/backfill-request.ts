import { z } from 'zod';
import { InputError, weekEndingProblem, weekEndingsBetween } from '@spine/platform';
import { parseTier, parseVenueType, TIERS, VENUE_TYPES, type Tier, type VenueType } from '@spine/otc';
import { requestedSource, type SourceAllowList } from './source-allow-list.ts';

export const MAX_BACKFILL_WEEKS = 520;

const friday = z.string().superRefine((value, ctx) => {
  const problem = weekEndingProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * A backfill request as the CLI and the HTTP API take it; both validate with this one schema, built for the sources
 * the configuration allows.
 */
export const backfillRequestSchema = (allow: SourceAllowList) => z
  .object({
    tier: z.string().transform((value, ctx): Tier[] => {
      if (value.trim().toLowerCase() === 'all') return [...TIERS];
      const tier = parseTier(value);
      if (!tier) {
        ctx.addIssue({ code: 'custom', message: `unknown tier "${value}": use all or one of ${TIERS.join(', ')}` });
        return z.NEVER;
      }
      return [tier];
    }),
    /** ATS, NON_ATS or all (both): FINRA's two weekly summaries of each week and tier. */
    venue_type: z.string().default('all').transform((value, ctx): VenueType[] => {
      if (value.trim().toLowerCase() === 'all') return [...VENUE_TYPES];
      const venueType = parseVenueType(value);
      if (!venueType) {
        ctx.addIssue({ code: 'custom', message: `unknown venue type "${value}": use all, ${VENUE_TYPES.join(' or ')}` });
        return z.NEVER;
      }
      return [venueType];
    }),
    from: friday,
    to: friday,
    source: z.string().default('finra').transform((value, ctx) => {
      try {
        return requestedSource(value, allow);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    }),
    force: z.boolean().default(false),
  })
  .superRefine((r, ctx) => {
    // zod runs this even when a field failed its own check; the range is only meaningful between two Fridays.
    if (weekEndingProblem(r.from) || weekEndingProblem(r.to)) return;
    if (r.from > r.to) ctx.addIssue({ code: 'custom', path: ['to'], message: `--to ${r.to} is before --from ${r.from}` });
    else if (weekEndingsBetween(r.from, r.to).length > MAX_BACKFILL_WEEKS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `a backfill covers at most ${MAX_BACKFILL_WEEKS} weeks` });
    }
  });

export type BackfillRequest = z.output<ReturnType<typeof backfillRequestSchema>>;

/** One line per problem, naming the field: what the CLI prints and the API returns. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
}
