import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sameOriginPath } from '../src/safe-redirect.ts';
import { tokensMatch } from '../src/csrf.ts';
import { weeksQuery } from '../src/request-schemas.ts';

const ORIGIN = 'https://spine.example';

describe('sign-in redirect target', () => {
  it.each(['/\\evil.example', '//evil.example', '/\\/evil.example', '/\t/evil.example', '/%0a/evil', 'https://evil.example', 'javascript:alert(1)', '', 'coverage', '\\\\evil.example'])(
    'keeps %j on the dashboard', (next) => {
      const target = sameOriginPath(next);
      expect(new URL(target, ORIGIN).origin).toBe(ORIGIN);
    });

  it('keeps a same-origin path with its query', () => {
    expect(sameOriginPath('/queues/queue/fetch?status=failed')).toBe('/queues/queue/fetch?status=failed');
    expect(sameOriginPath(undefined)).toBe('/');
  });

  it('never yields a target a browser would resolve to another origin', () => {
    const hostile = fc.oneof(fc.string(), fc.string().map((s) => `/${s}`), fc.string().map((s) => `/\\${s}`), fc.string().map((s) => `//${s}`),
      fc.webUrl(), fc.string({ unit: 'binary' }).map((s) => `/${s}`));
    fc.assert(fc.property(hostile, (next) => {
      const target = sameOriginPath(next);
      expect(target.startsWith('/')).toBe(true);
      expect(target.startsWith('//')).toBe(false);
      expect(new URL(target, ORIGIN).origin).toBe(ORIGIN);
    }), { numRuns: 3000 });
  });
});

describe('CSRF token comparison', () => {
  it('matches only the identical token', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => {
      expect(tokensMatch(a, b)).toBe(a === b);
    }));
    expect(tokensMatch('a'.repeat(64), 'a'.repeat(64))).toBe(true);
  });
});

describe('API query validation', () => {
  it('accepts 1..260 weeks (12 by default) and nothing else', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.integer().map(String), fc.constant(undefined)), (weeks) => {
      const parsed = weeksQuery.safeParse({ weeks });
      const n = Number(weeks);
      const valid = weeks === undefined || (weeks.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= 260);
      expect(parsed.success).toBe(valid);
      if (parsed.success) expect(parsed.data.weeks).toBe(weeks === undefined ? 12 : n);
    }));
  });
});
