import { describe, expect, it } from 'vitest';
import { describeIssues } from '@spine/platform/research/describe-issues';
import { symbolHistoryQuery, weekSnapshotQuery, weekTierQuery } from '../../src/research/request-schemas.ts';

const issues = (result: { success: boolean; error?: Parameters<typeof describeIssues>[0] }) => (result.success ? undefined : describeIssues(result.error!));

describe('hhi_version', () => {
  it('takes a declared major version of otc_symbol_concentration as the query string or the CLI gives it', () => {
    expect(symbolHistoryQuery.parse({ hhi_version: '2' }).hhi_version).toBe(2);
    expect(weekSnapshotQuery.parse({ tier: 'T1', hhi_version: '1' }).hhi_version).toBe(1);
    expect(weekSnapshotQuery.parse({ tier: 'T1', hhi_version: 2 }).hhi_version).toBe(2);
  });

  it('is absent unless asked for, so a question without it (and its page tokens) is what it was', () => {
    expect(symbolHistoryQuery.parse({})).not.toHaveProperty('hhi_version');
    expect(weekSnapshotQuery.parse({ tier: 'T1' })).not.toHaveProperty('hhi_version');
  });

  it('refuses, in one line naming the parameter, a version the registry does not declare and anything but an integer', () => {
    expect(issues(symbolHistoryQuery.safeParse({ hhi_version: '3' }))).toBe('hhi_version: otc_symbol_concentration has no version 3: use 1 or 2');
    expect(issues(symbolHistoryQuery.safeParse({ hhi_version: '0' }))).toBe('hhi_version: otc_symbol_concentration has no version 0: use 1 or 2');
    expect(issues(weekSnapshotQuery.safeParse({ tier: 'T1', hhi_version: 'two' }))).toBe('hhi_version: a major version of the HHI: an integer such as 2');
    expect(issues(weekSnapshotQuery.safeParse({ tier: 'T1', hhi_version: '1.5' }))).toBe('hhi_version: a major version of the HHI: an integer such as 2');
  });

  it('is not a parameter of the venue table, whose schema drops it', () => {
    expect(weekTierQuery.parse({ tier: 'T1', hhi_version: '2' })).not.toHaveProperty('hhi_version');
  });
});
