import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sourceNotAllowed } from '../src/source-allow-list.ts';

const allow = { dirs: ['/data/finra'], buckets: ['finra-drops'] };

describe('sourceNotAllowed', () => {
  it('accepts only directories under an allowed root, whatever path tricks are used', () => {
    const segment = fc.constantFrom('..', '.', 'finra', 'data', 'etc', 'x', '');
    fc.assert(fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
      const dir = `/${segments.join('/')}`;
      const refusal = sourceNotAllowed(`dir:${dir}`, allow);
      // An oracle independent of path.resolve: a stack of segments, '..' popping one (never above the root).
      const stack: string[] = [];
      for (const s of segments) {
        if (s === '..') stack.pop();
        else if (s !== '' && s !== '.') stack.push(s);
      }
      const normalized = `/${stack.join('/')}`;
      const inside = normalized === '/data/finra' || normalized.startsWith('/data/finra/');
      expect(refusal === undefined).toBe(inside);
    }), { numRuns: 2000 });
  });
});
