import { describe, expect, it, vi } from 'vitest';
import type { Queryable } from '@spine/platform';
import { isSettable, updateSchedule } from '../src/schedules-repo.ts';

describe('the columns a schedule may change', () => {
  it('are the listed ones only, not the names every object answers to', () => {
    expect(isSettable('lookback_weeks')).toBe(true);
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) expect(isSettable(name), name).toBe(false);
  });

  it('updateSchedule refuses any other name before it builds SQL from it', async () => {
    const query = vi.fn(async () => ({ rows: [] }));
    const changes = JSON.parse('{"lookback_weeks":"3","constructor":"1","__proto__":"1"}') as Record<string, string>;
    await expect(updateSchedule({ query } as unknown as Queryable, 1, changes)).rejects.toThrow('not a column a schedule may change: constructor, __proto__');
    expect(query).not.toHaveBeenCalled();
  });
});
