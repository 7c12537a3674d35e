import { describe, expect, it } from 'vitest';
import type { PublishedLookup } from '@spine/scheduling';
import { cachedPublication } from '../src/publication-cache.ts';

describe('the dashboard\'s publication lookups', () => {
  it('asks a source once per period, again for older weeks or once the period passed, and remembers a failure as long', async () => {
    let clock = 0;
    const asked: string[] = [];
    const lookup: PublishedLookup = { has: () => true };
    const provider = cachedPublication(async (source, oldest) => {
      asked.push(`${source} ${oldest}`);
      if (source === 'down') throw new Error('FINRA unreachable');
      return lookup;
    }, 1000, () => clock);
    expect(await provider('finra', '2025-11-07')).toBe(lookup);
    expect(await provider('finra', '2025-11-14')).toBe(lookup);
    expect(asked).toEqual(['finra 2025-11-07']);
    await provider('finra', '2025-10-31');
    expect(asked).toEqual(['finra 2025-11-07', 'finra 2025-10-31']);
    await expect(provider('down', '2025-11-07')).rejects.toThrow('unreachable');
    await expect(provider('down', '2025-11-07')).rejects.toThrow('unreachable');
    expect(asked.filter((a) => a.startsWith('down'))).toHaveLength(1);
    clock = 1000;
    await provider('finra', '2025-10-31');
    expect(asked).toHaveLength(4);
  });
});
