import { describe, expect, it } from 'vitest';
import { lagText } from '../src/lag-view.ts';

describe('lateness as people read it', () => {
  it('is written in days and hours', () => {
    expect(lagText(1951.3)).toBe('81 d 7 h');
    expect(lagText(22)).toBe('22 h');
    expect(lagText(24)).toBe('1 d 0 h');
    expect(lagText(-3)).toBe('0 h');
  });
});
