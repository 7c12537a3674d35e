import { describe, expect, it } from 'vitest';
import type { PublishedLookup } from '@spine/scheduling';
import { cachedPublication } from '../src/publication-cache.ts';

describe('the dashboard\'s publication lookups', () => {
  it('asks a source once per period, again for older weeks or once the period passed, and remembers a failure as long', async () => {
    let clock = 0;
    const asked: string[] = [];
    const lookup: PublishedLookup = { has: () => true };
    const provider = cachedPublication(async (dataset, source, oldest) => {
      asked.push(`${dataset} ${source} ${oldest}`);
      if (source === 'down') throw new Error('FINRA unreachable');
      return lookup;
    }, 1000, () => clock);
    expect(await provider('otc', 'finra', '2025-11-07')).toBe(lookup);
    expect(await provider('otc', 'finra', '2025-11-14')).toBe(lookup);
    expect(asked).toEqual(['otc finra 2025-11-07']);
    await provider('otc', 'finra', '2025-10-31');
    expect(asked).toEqual(['otc finra 2025-11-07', 'otc finra 2025-10-31']);
    await expect(provider('otc', 'down', '2025-11-07')).rejects.toThrow('unreachable');
    await expect(provider('otc', 'down', '2025-11-07')).rejects.toThrow('unreachable');
    expect(asked.filter((a) => a.includes('down'))).toHaveLength(1);
    // One source spec asks another publisher's dataset for each dataset: cached apart.
    await provider('daily', 'finra', '2025-11-07');
    expect(asked).toHaveLength(4);
    clock = 1000;
    await provider('otc', 'finra', '2025-10-31');
    expect(asked).toHaveLength(5);
  });
});
