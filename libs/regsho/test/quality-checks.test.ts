import { describe, expect, it } from 'vitest';
import { recordsPresent, REJECT_SHARE_WARN, rejectShare } from '../src/quality-checks.ts';

describe('Reg SHO quality rules', () => {
  it('warn on rejects past a tenth of a percent of the file, and pass at it', () => {
    expect(rejectShare(0, 5000)).toMatchObject({ checkName: 'reject_share', status: 'PASS', observed: 0 });
    expect(rejectShare(5, 5000)).toMatchObject({ status: 'PASS', observed: REJECT_SHARE_WARN });
    expect(rejectShare(6, 5000)).toMatchObject({ status: 'WARN', message: '6 of 5000 lines rejected (0.12% > 0.1%)' });
    expect(rejectShare(0, 0)).toMatchObject({ status: 'PASS', observed: 0 });
  });

  it('warn on a trading day\'s file without records', () => {
    expect(recordsPresent(0)).toMatchObject({ checkName: 'records_present', status: 'WARN' });
    expect(recordsPresent(1)).toMatchObject({ status: 'PASS', observed: 1 });
  });
});
