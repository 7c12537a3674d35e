import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.ts';
import { loadEnv } from '../src/config.ts';

describe('environment configuration', () => {
  it('applies local defaults', () => {
    const env = loadEnv({});
    expect(env.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/spine');
    expect(env.QUALITY_MAX_REJECT_SHARE).toBe(0.05);
  });

  it('reports one line per bad variable and never echoes a secret', () => {
    let error: unknown;
    try {
      loadEnv({ DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', FINRA_CLIENT_SECRET: '', S3_BUCKET: 'Bad_Bucket', QUALITY_MAX_REJECT_SHARE: '2' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.find((p) => p.startsWith('DATABASE_URL:'))).toContain('"mysql://x"');
    expect(problems.find((p) => p.startsWith('LOG_LEVEL:'))).toBeDefined();
    expect(problems.find((p) => p.startsWith('S3_BUCKET:'))).toBeDefined();
    expect(problems.find((p) => p.startsWith('QUALITY_MAX_REJECT_SHARE:'))).toBeDefined();
  });

  it('caps a source file at 256 MiB unless SOURCE_MAX_FILE_BYTES says otherwise, and takes no cap below 1 KiB', () => {
    expect(loadEnv({}).SOURCE_MAX_FILE_BYTES).toBe(256 * 1024 * 1024);
    expect(loadEnv({ SOURCE_MAX_FILE_BYTES: '1048576' }).SOURCE_MAX_FILE_BYTES).toBe(1048576);
    expect(() => loadEnv({ SOURCE_MAX_FILE_BYTES: '10' })).toThrow(/SOURCE_MAX_FILE_BYTES/);
  });
});
