import { describe, expect, it } from 'vitest';
import { envSchema, parseEnv } from '@spine/platform/config';
import { finraEnvShape } from '../src/finra-env.ts';

const load = (source: Record<string, string>) => parseEnv(envSchema.extend(finraEnvShape), source);

describe("FINRA's variables at start-up", () => {
  it('default to FINRA itself, anonymously', () => {
    const env = load({});
    expect(env.FINRA_BASE_URL).toBe('https://api.finra.org');
    expect([env.FINRA_TOKEN_URL, env.FINRA_CLIENT_ID, env.FINRA_CLIENT_SECRET]).toEqual([undefined, undefined, undefined]);
  });

  it('name a bad URL, and never print the secret', () => {
    expect(() => load({ FINRA_TOKEN_URL: 'not a url', S3_SECRET_ACCESS_KEY: 'x' })).toThrow(/FINRA_TOKEN_URL/);
    expect(() => load({ FINRA_BASE_URL: 'ftp://u:PLANTED_FINRA@h/' })).toThrow(/^  FINRA_BASE_URL: must be a URL starting with http:\/\/ or https:\/\/ \(got "ftp:\/\/u:\*\*\*@h\/"\)$/m);
  });
});
