import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { datasets } from '@spine/datasets';
import { weekEndingsBetween } from '@spine/platform';
import { sourceCatalog, sourceNotAllowed, type SourceAllowList } from '@spine/finra-source';
import { backfillRequestSchema, describeIssues } from '../src/backfill-request.ts';

const allow = { dirs: ['/data/finra'], buckets: ['finra-drops'] };
const sources = sourceCatalog({ allow });
const TODAY = '2026-01-07';
const limits = { maxPartitions: 1600, today: TODAY };
const otcDataset = datasets.get('otc');
const schema = backfillRequestSchema(otcDataset, sources, limits);
const day = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const anyText = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('all', 'OTC', 'NMS Tier 1', 't2', 'finra', 'dir:/data/finra/x', 's3:finra-drops/p'));

describe('backfill request validation (the CLI and the API)', () => {
  it('never throws: any input is either a valid request or issues describable in one line', () => {
    const venueType = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('all', 'ATS', 'non_ats', 'NON-ATS'));
    const input = fc.record({ tier: anyText, venue_type: venueType, from: fc.oneof(day, fc.string()), to: fc.oneof(day, fc.string()), source: anyText,
      force: fc.oneof(fc.boolean(), fc.string()) }, { requiredKeys: [] });
    fc.assert(fc.property(fc.oneof(input, fc.anything()), (body) => {
      const parsed = schema.safeParse(body);
      if (parsed.success) {
        const r = parsed.data;
        expect(r.tier.length).toBeGreaterThan(0);
        expect(r.from <= r.to).toBe(true);
        expect(new Date(`${r.from}T00:00:00Z`).getUTCDay()).toBe(5);
        expect(sourceNotAllowed(r.source, allow)).toBeUndefined();
        for (const tier of r.tier) for (const venueType of r.venue_type) expect(r.from >= otcDataset.firstPeriod({ key1: tier, key2: venueType })).toBe(true);
        expect(r.to <= TODAY).toBe(true);
        expect(weekEndingsBetween(r.from, r.to).length * r.tier.length * r.venue_type.length).toBeLessThanOrEqual(limits.maxPartitions);
      } else {
        expect(describeIssues(parsed.error)).not.toContain('\n');
      }
    }), { numRuns: 1000 });
  });

  it('refuses sources outside the allow-lists with a reason, and disabled kinds say how to enable them', () => {
    const problem = (source: string, a: SourceAllowList = allow) => {
      const parsed = backfillRequestSchema(otcDataset, sourceCatalog({ allow: a }), limits).safeParse({ tier: 'OTC', from: '2025-12-05', to: '2025-12-12', source });
      return parsed.success ? undefined : describeIssues(parsed.error);
    };
    expect(problem('dir:/data/finra/weeks')).toBeUndefined();
    expect(problem('dir:/data/finra/../../etc')).toBe('source: directory /etc is not under SOURCE_DIR_ALLOWLIST (/data/finra)');
    expect(problem('dir:/data/finrax')).toContain('is not under SOURCE_DIR_ALLOWLIST');
    expect(problem('s3:finra-drops/2025')).toBeUndefined();
    expect(problem('s3:other-bucket/2025')).toBe('source: bucket other-bucket is not in SOURCE_S3_BUCKET_ALLOWLIST (finra-drops)');
    expect(problem('dir:/data/finra', { dirs: [], buckets: [] })).toContain('dir: sources are disabled (set SOURCE_DIR_ALLOWLIST');
    expect(problem('s3:finra-drops', { dirs: [], buckets: [] })).toContain('s3: sources are disabled');
    expect(problem('finra', { dirs: [], buckets: [] })).toBeUndefined();
    expect(problem('ftp://x')).toMatch(/^source: Invalid source/);
  });

  it('stores a dir: source resolved against this process\'s working directory, where the worker would resolve its own', () => {
    const source = (spec: string) => backfillRequestSchema(otcDataset, sourceCatalog({ allow: { dirs: [resolve('weeks')], buckets: [] } }), limits).parse({ tier: 'OTC', from: '2025-12-05', to: '2025-12-05', source: spec }).source;
    expect(source('dir:weeks/2025')).toBe(`dir:${resolve('weeks', '2025')}`);
    expect(source(`dir:${resolve('weeks')}/./2025/../2026/`)).toBe(`dir:${resolve('weeks', '2026')}`);
    expect(source('finra')).toBe('finra');
  });

  describe('weeks FINRA published', () => {
    const problem = (request: Record<string, unknown>, l = limits) => {
      const parsed = backfillRequestSchema(otcDataset, sources, l).safeParse({ tier: 'OTC', ...request });
      return parsed.success ? undefined : describeIssues(parsed.error);
    };

    it('starts each venue type at its first published week, whatever the source', () => {
      for (const source of ['finra', 'dir:/data/finra', 's3:finra-drops']) {
        expect(problem({ venue_type: 'ATS', from: '2014-05-16', to: '2014-05-16', source })).toBeUndefined();
        expect(problem({ venue_type: 'ATS', from: '2014-05-09', to: '2014-05-16', source }))
          .toBe(`from: --from 2014-05-09 is before FINRA's first ATS week, 2014-05-16 (first weeks: ATS 2014-05-16, NON_ATS 2016-04-08)`);
        expect(problem({ venue_type: 'NON_ATS', from: '2016-04-08', to: '2016-04-08', source })).toBeUndefined();
        expect(problem({ venue_type: 'NON_ATS', from: '2016-04-01', to: '2016-04-08', source })).toContain(`before FINRA's first NON_ATS week, 2016-04-08`);
        // Both venue types (the default): the later start decides.
        expect(problem({ from: '2015-01-02', to: '2016-04-08', source })).toContain(`before FINRA's first NON_ATS week, 2016-04-08`);
      }
    });

    it('refuses a week that ends after today', () => {
      expect(problem({ from: '2026-01-02', to: '2026-01-02' })).toBeUndefined();
      expect(problem({ from: '2026-01-02', to: '2026-01-09' })).toBe('to: --to 2026-01-09 is after today (2026-01-07); the week has not ended');
      expect(problem({ from: '2026-01-09', to: '2026-01-09' }, { ...limits, today: '2026-01-09' })).toBeUndefined();
    });

    it('caps the partitions one request enqueues, four years of everything included', () => {
      // 208 weeks x 3 tiers x 2 venue types.
      expect(problem({ tier: 'all', from: '2022-01-07', to: '2025-12-26' })).toBeUndefined();
      expect(problem({ tier: 'all', from: '2016-04-08', to: '2025-12-26' })).toBe('to: the request covers 3048 partitions (week x tier x venue type), ' +
        'more than the 1600 one request may enqueue (BACKFILL_MAX_PARTITIONS): split it by dates, tier or venue type');
      expect(problem({ tier: 'all', from: '2022-01-07', to: '2025-12-26' }, { ...limits, maxPartitions: 1247 })).toContain('covers 1248 partitions');
    });
  });

  it('names the fields as the asker knows them: the CLI\'s flags by default, a form\'s labels or the API\'s keys when given', () => {
    const reversed = { tier: 'OTC', from: '2025-12-12', to: '2025-11-28' };
    const refusal = (names?: Parameters<typeof backfillRequestSchema>[3]) => {
      const parsed = backfillRequestSchema(otcDataset, sources, limits, names).safeParse(reversed);
      return parsed.success ? undefined : describeIssues(parsed.error);
    };
    expect(refusal()).toBe('to: --to 2025-11-28 is before --from 2025-12-12');
    expect(refusal({ from: 'From week', to: 'To week', max_reject_share: 'Max reject share' })).toBe('to: To week 2025-11-28 is before From week 2025-12-12');
  });

  it('takes a quality gate for the request\'s weeks: a share from 0 to 1, as a number or as typed into a form; absent or empty, none', () => {
    const gate = (max_reject_share: unknown) => schema.safeParse({ tier: 'OTC', from: '2025-12-05', to: '2025-12-05', max_reject_share });
    expect(gate(0.25).data?.max_reject_share).toBe(0.25);
    expect(gate('0.5').data?.max_reject_share).toBe(0.5);
    expect(gate(0).data?.max_reject_share).toBe(0);
    for (const none of [undefined, '']) expect(gate(none).data?.max_reject_share).toBeUndefined();
    for (const bad of ['1.5', '-0.1', 'half', ' ', true, Number.NaN]) {
      const parsed = gate(bad);
      expect(parsed.success, String(bad)).toBe(false);
      expect(describeIssues(parsed.error!)).toMatch(/^max_reject_share: --max-reject-share must be a number from 0 to 1, got "/);
    }
  });
});
