import { describe, expect, it } from 'vitest';
import { durationText, isoTime, timeTag } from '../src/html/formats.ts';

describe('how the pages write times and durations', () => {
  it('writes every time as ISO 8601 in UTC to the second, in a <time> element for the local-time tooltip', () => {
    expect(isoTime(new Date('2025-12-05T20:10:55.123Z'))).toBe('2025-12-05T20:10:55Z');
    expect(isoTime('2025-12-05T15:10:55-05:00')).toBe('2025-12-05T20:10:55Z');
    expect(String(timeTag('2025-12-05T20:10:55.123Z'))).toBe('<time datetime="2025-12-05T20:10:55Z">2025-12-05T20:10:55Z</time>');
    expect(timeTag(null)).toBe('');
  });

  it('writes durations in the unit that reads best', () => {
    expect(durationText(130)).toBe('130 ms');
    expect(durationText(12_400)).toBe('12.4 s');
    expect(durationText(185_000)).toBe('3 min 05 s');
    expect(durationText(7_800_000)).toBe('2 h 10 min');
    expect(durationText(null)).toBe('');
  });
});
