import { describe, expect, it } from 'vitest';
import { parseEnv } from '@spine/platform/config';
import { orchestrationEnvSchema } from '../src/orchestration-env.ts';

const load = (source: Record<string, string>) => parseEnv(orchestrationEnvSchema, source);

describe("the queues' variables", () => {
  it('validate the source allow-lists', () => {
    const env = load({ SOURCE_DIR_ALLOWLIST: '/data/finra, /srv/x', SOURCE_S3_BUCKET_ALLOWLIST: 'finra-drops' });
    expect(env.SOURCE_DIR_ALLOWLIST).toEqual(['/data/finra', '/srv/x']);
    expect(env.SOURCE_S3_BUCKET_ALLOWLIST).toEqual(['finra-drops']);
    expect(() => load({ SOURCE_DIR_ALLOWLIST: 'relative/dir' })).toThrow(/SOURCE_DIR_ALLOWLIST: "relative\/dir" is not an absolute directory path/);
    expect(() => load({ SOURCE_S3_BUCKET_ALLOWLIST: 'Bad_Bucket' })).toThrow(/SOURCE_S3_BUCKET_ALLOWLIST/);
  });
});
