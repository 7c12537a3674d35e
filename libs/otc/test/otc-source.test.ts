import { Readable } from 'node:stream';
import { SourceNotFoundError, type SourceFiles, type SourceObject } from '@spine/platform';
import type { QueryApi } from '@spine/platform/sources/query-api';
import { describe, expect, it } from 'vitest';
import { OtcQuerySource } from '../src/source/otc-query-source.ts';
import { openOtcSource } from '../src/source/otc-source.ts';

/** Files by path, as a directory or S3 prefix holds them; the paths asked are recorded. */
class FilesHolding implements SourceFiles {
  readonly asked: string[] = [];
  constructor(private readonly files: Record<string, string>) {}

  describe(): string {
    return 'dir:/weeks';
  }

  async open(path: string, notFound: (where: string) => Error): Promise<SourceObject> {
    this.asked.push(path);
    const text = this.files[path];
    if (text === undefined) throw notFound(`/weeks/${path}`);
    return { body: Readable.from([text]), sourceUri: `file:///weeks/${path}` };
  }
}

const limits = { maxFileBytes: 1_000, now: () => new Date('2026-01-05T12:00:00Z') };

describe('OTC\'s source on what a source spec reaches', () => {
  it('opens week files by the naming rule: <TIER>/<week_ending>.psv, non-ATS under NON_ATS/', async () => {
    const files = new FilesHolding({ 'OTC/2025-12-12.psv': 'ats', 'OTC/NON_ATS/2025-12-12.psv': 'non-ats' });
    const source = openOtcSource({ kind: 'dir', files, common: limits });
    expect(source.kind).toBe('dir');
    expect(source.describe()).toBe('dir:/weeks');
    expect((await source.open({ key1: 'OTC', key2: 'ATS', periodEnd: '2025-12-12' })).sourceUri).toBe('file:///weeks/OTC/2025-12-12.psv');
    expect((await source.open({ key1: 'OTC', key2: 'NON_ATS', periodEnd: '2025-12-12' })).sourceUri).toBe('file:///weeks/OTC/NON_ATS/2025-12-12.psv');
    expect(source.published).toBeUndefined();
  });

  it('rejects a missing week with SourceNotFoundError naming the partition and where it looked', async () => {
    const source = openOtcSource({ kind: 's3', files: new FilesHolding({}), common: limits });
    const error = await source.open({ key1: 'NMS_TIER_2', key2: 'ATS', periodEnd: '2025-11-28' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceNotFoundError);
    expect(error).toMatchObject({ key1: 'NMS_TIER_2', key2: 'ATS', periodEnd: '2025-11-28', where: '/weeks/NMS_TIER_2/2025-11-28.psv' });
    expect((error as Error).message).toBe('No NMS_TIER_2 ATS data for the week ending 2025-11-28 at /weeks/NMS_TIER_2/2025-11-28.psv');
  });

  it('asks for no file of a week ending that is not a Friday, or that is no date at all', async () => {
    const files = new FilesHolding({});
    const source = openOtcSource({ kind: 'dir', files, common: limits });
    await expect(source.open({ key1: 'OTC', key2: 'ATS', periodEnd: '2025-12-13' })).rejects.toThrow('2025-12-13 is a Saturday; week_ending must be a Friday');
    await expect(source.open({ key1: 'OTC', key2: 'ATS', periodEnd: '../../etc/passwd' })).rejects.toThrow('YYYY-MM-DD');
    expect(files.asked).toEqual([]);
  });

  it('asks FINRA\'s Query API when the spec reaches it', () => {
    const query = { describe: () => 'finra:http://127.0.0.1:9/' } as QueryApi;
    const source = openOtcSource({ kind: 'api', query, common: limits });
    expect(source).toBeInstanceOf(OtcQuerySource);
    expect(source.kind).toBe('api');
    expect(source.describe()).toBe('finra:http://127.0.0.1:9/');
  });
});
