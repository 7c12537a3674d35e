import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createLogger } from '../src/logger.ts';
import { ConfigError } from '../src/errors.ts';
import { loadEnv } from '../src/config.ts';
import { displayUrl, maskSecrets, registerSecret, urlOrigin } from '../src/secret-masking.ts';
import { fastestMs } from '../../../tests/support/fastest-run.ts';

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } });
  return { stream, text: () => text };
}

describe('maskSecrets', () => {
  it('masks the password of URLs with credentials anywhere in a text, keeping scheme, user and host', () => {
    expect(maskSecrets('connect postgres://spine:s3cr3t@db:5432/spine failed')).toBe('connect postgres://spine:***@db:5432/spine failed');
    expect(maskSecrets('{"url":"redis://:hunter22@cache:6379","next":"a@b"}')).toBe('{"url":"redis://:***@cache:6379","next":"a@b"}');
    expect(maskSecrets('postgres://u:p@ss@host/x')).toBe('postgres://u:***@host/x');
    expect(maskSecrets('no credentials: https://api.finra.org/data')).toBe('no credentials: https://api.finra.org/data');
  });

  it('never lets a URL password through, whatever it is made of', () => {
    const password = fc.string({ minLength: 1, maxLength: 30 }).filter((p) => !/[\s/?#"@]/.test(p));
    fc.assert(fc.property(password, fc.constantFrom('postgres', 'redis', 'https'), (p, scheme) => {
      const text = `error at ${scheme}://user:${p}X@host:1/db while connecting`;
      expect(maskSecrets(text)).not.toContain(`${p}X@`);
      expect(maskSecrets(text)).toContain(`${scheme}://user:***@host:1/db`);
    }));
  });

  it('masks registered secrets, also inside JSON and percent-encoded', () => {
    registerSecret('webhook-TOKEN-"quoted"');
    expect(maskSecrets('POST https://hooks.example/webhook-TOKEN-"quoted"')).toBe('POST https://hooks.example/***');
    expect(maskSecrets(JSON.stringify({ url: 'webhook-TOKEN-"quoted"' }))).toBe('{"url":"***"}');
    expect(maskSecrets(encodeURIComponent('webhook-TOKEN-"quoted"'))).toBe('***');
  });

  it('shows URLs without their secrets', () => {
    expect(displayUrl('postgres://u:pw123456@h/x')).toBe('postgres://u:***@h/x');
    expect(displayUrl('postgres://u:pw 123@h:notaport/x')).toBe('(unparseable URL, not shown)');
    expect(urlOrigin('https://hooks.slack.com/services/T0/B0/SECRET')).toBe('https://hooks.slack.com');
  });
});

describe('maskSecrets on hostile text', () => {
  registerSecret('hostile-secret-Q');
  // Each shape makes a backtracking pattern retry a long run from many start positions.
  const shapes: Record<string, (chars: number) => string> = {
    'a sign-in body whose user is a scheme-like run without "://"': (chars) => JSON.stringify({ user: `${'a.'.repeat(chars / 2)}a` }),
    'many "://" without credentials': (chars) => 'a://'.repeat(chars / 4),
    'a user part without ":" and a password without "@"': (chars) => `x://${'u'.repeat(chars / 2)} y://u:${'p'.repeat(chars / 2)}`,
    'a password made of "@"': (chars) => `x://u:${'@'.repeat(chars)}`,
    'near misses of a registered secret': (chars) => 'hostile-secret-'.repeat(chars / 15),
  };
  for (const [name, shape] of Object.entries(shapes)) {
    it(`takes time linear in the length: ${name}`, () => {
      expect(fastestMs(() => maskSecrets(shape(64 * 1024)))).toBeLessThan(100);
      const small = fastestMs(() => maskSecrets(shape(16 * 1024)));
      const large = fastestMs(() => maskSecrets(shape(64 * 1024)));
      // Four times the text may take up to eight times as long (noise); quadratic work would take sixteen.
      expect(large).toBeLessThan(8 * Math.max(small, 1));
    });
  }
});

describe('logger', () => {
  const secret = 'PLANTED_LOG_SECRET';
  for (const pretty of [false, true]) {
    it(`masks URL passwords and redacted fields in ${pretty ? 'pretty' : 'JSON'} output`, () => {
      const out = capture();
      const logger = createLogger('debug', 'test', { destination: out.stream, pretty });
      const url = `postgres://spine:${secret}@db.internal:5432/spine`;
      logger.info({ target: url, password: secret, headers: { authorization: `Basic ${secret}` } }, `connecting to ${url}`);
      logger.error({ err: new Error(`connect ECONNREFUSED for ${url}`) }, 'failed');
      logger.warn(`retrying ${url}`);
      const text = out.text();
      expect(text).toContain('postgres://spine:***@db.internal:5432/spine');
      expect(text).toContain('ECONNREFUSED');
      expect(text).not.toContain(secret);
    });
  }
});

describe('configuration errors', () => {
  it('echo a bad connection URL with its password masked', () => {
    let error: unknown;
    try {
      loadEnv({ DATABASE_URL: 'mysql://u:PLANTED_CONFIG_SECRET@h/x', REDIS_URL: 'redis://u:PLANTED_REDIS_SECRET@h:port/x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).message;
    expect(text).toContain('DATABASE_URL: must be a URL starting with postgres:// or postgresql:// (got "mysql://u:***@h/x")');
    expect(text).toContain('REDIS_URL:');
    expect(text).not.toContain('PLANTED');
  });
});
