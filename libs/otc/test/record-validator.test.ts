import { describe, expect, it } from 'vitest';
import { validateLine } from '../src/record-validator.ts';
import { parseTier } from '../src/tiers.ts';
import { detectFormat, FINRA_FIRM_HEADER, FINRA_HEADER, LEGACY_HEADER } from '../src/file-format.ts';

const week = { tier: 'NMS_TIER_1' as const, weekEnding: '2025-12-12', venueType: 'ATS' as const };
const finra = (fields: Partial<Record<'tier' | 'symbol' | 'name' | 'venue' | 'mpid' | 'shares' | 'trades' | 'updated', string>> = {}) =>
  [fields.tier ?? 'NMS Tier 1', fields.symbol ?? 'BRK.A', fields.name ?? 'Berkshire, Inc. $1 (Class A)', fields.venue ?? 'VIRTU',
    fields.mpid ?? 'NITE', fields.shares ?? '3000000000', fields.trades ?? '12', fields.updated ?? '2025-12-29'].join('|');

describe('tiers', () => {
  it('accepts every documented spelling, case-insensitively', () => {
    for (const s of ['NMS_TIER_1', 'nms tier 1', 'T1', ' t1 ']) expect(parseTier(s)).toBe('NMS_TIER_1');
    for (const s of ['NMS Tier 2', 't2']) expect(parseTier(s)).toBe('NMS_TIER_2');
    for (const s of ['OTC', 'otce']) expect(parseTier(s)).toBe('OTC');
    expect(parseTier('Tier 3')).toBeUndefined();
  });
});

describe('file formats', () => {
  it('recognises both headers, with a BOM or CRLF', () => {
    expect(detectFormat(`\uFEFF${FINRA_HEADER}\r`)).toBe('finra');
    expect(detectFormat(LEGACY_HEADER)).toBe('legacy');
    expect(detectFormat('date,open,close')).toBeUndefined();
  });
});

describe('line validation', () => {
  it('accepts and normalizes a good line, keeping counts beyond 2^31 exact', () => {
    const v = validateLine(finra({ symbol: ' brk.a ', mpid: 'nite ' }), 'finra', week);
    expect(v).toEqual({ ok: true, record: { symbol: 'BRK.A', issueName: 'Berkshire, Inc. $1 (Class A)', marketParticipantName: 'VIRTU', mpid: 'NITE', firmCrdNumber: null, shares: '3000000000', trades: '12', lastUpdateDate: '2025-12-29' } });
  });

  it.each([
    ['PARSE_ERROR', 'a|b|c'],
    ['PARSE_ERROR', finra({ shares: '12.5' })],
    ['PARSE_ERROR', finra({ trades: '99999999999999999999' })],
    ['PARSE_ERROR', finra({ updated: '2025-13-01' })],
    ['INVALID_TIER', finra({ tier: 'Tier 9' })],
    ['INVALID_TIER', finra({ tier: 'OTC' })],
    ['WEEK_MISMATCH', finra({ updated: '2025-12-11' })],
    ['INVALID_SYMBOL', finra({ symbol: '' })],
    ['INVALID_SYMBOL', finra({ symbol: '$AB' })],
    ['INVALID_MPID', finra({ mpid: 'AB' })],
    ['INVALID_MPID', finra({ mpid: 'ab!1' })],
    ['NEGATIVE_VOLUME', finra({ shares: '-5' })],
    ['NEGATIVE_TRADES', finra({ trades: '-1' })],
  ])('rejects %s: %s', (code, line) => {
    const v = validateLine(line, 'finra', week);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.code).toBe(code);
  });

  it('accepts counts up to the BIGINT limit and rejects one beyond it', () => {
    expect(validateLine(finra({ shares: '9223372036854775807' }), 'finra', week).ok).toBe(true);
    expect(validateLine(finra({ shares: '999999999999999999' }), 'finra', week).ok).toBe(true);
    expect(validateLine(finra({ shares: '9223372036854775808' }), 'finra', week)).toMatchObject({ ok: false, code: 'PARSE_ERROR' });
    expect(validateLine(finra({ trades: '-9223372036854775809' }), 'finra', week)).toMatchObject({ ok: false, code: 'PARSE_ERROR' });
    expect(validateLine(finra({ trades: '-9223372036854775808' }), 'finra', week)).toMatchObject({ ok: false, code: 'NEGATIVE_TRADES' });
  });

  it('keeps zero-volume rows and accepts -0 as zero', () => {
    expect(validateLine(finra({ shares: '0', trades: '0' }), 'finra', week).ok).toBe(true);
    expect(validateLine(finra({ shares: '-0' }), 'finra', week).ok).toBe(true);
  });

  it('validates the legacy format, including its week column', () => {
    expect(validateLine('2025-12-12|T1|AAPL|NITE|100|2', 'legacy', week).ok).toBe(true);
    const mismatch = validateLine('2025-12-05|T1|AAPL|NITE|100|2', 'legacy', week);
    expect(mismatch.ok === false && mismatch.code).toBe('WEEK_MISMATCH');
  });
});

describe('non-ATS venues', () => {
  const nonAts = { ...week, venueType: 'NON_ATS' as const };
  const firmLine = (mpid: string, crd: string) => `${finra({ mpid })}|${crd}`;

  it('recognises the header with the firm CRD number', () => {
    expect(detectFormat(FINRA_FIRM_HEADER)).toBe('finra_firm');
  });

  it('keys a firm by its MPID, keeping the CRD number', () => {
    expect(validateLine(firmLine('UBSS', '7654'), 'finra_firm', nonAts)).toMatchObject({ ok: true, record: { mpid: 'UBSS', firmCrdNumber: '7654' } });
  });

  it('keys a firm without an MPID by its CRD number, and the unattributed aggregate as DE_MINIMIS, never rejecting them', () => {
    expect(validateLine(firmLine('', '00123456'), 'finra_firm', nonAts)).toMatchObject({ ok: true, record: { mpid: 'CRD:123456', firmCrdNumber: '123456' } });
    expect(validateLine(firmLine(' ', ''), 'finra_firm', nonAts)).toMatchObject({ ok: true, record: { mpid: 'DE_MINIMIS', firmCrdNumber: null } });
    expect(validateLine(finra({ mpid: '' }), 'finra', nonAts)).toMatchObject({ ok: true, record: { mpid: 'DE_MINIMIS' } });
  });

  it('still rejects a malformed MPID, a malformed CRD number, and an ATS row without an MPID', () => {
    expect(validateLine(firmLine('ab!', '1'), 'finra_firm', nonAts)).toMatchObject({ ok: false, code: 'INVALID_MPID' });
    expect(validateLine(firmLine('', '12x'), 'finra_firm', nonAts)).toMatchObject({ ok: false, code: 'PARSE_ERROR' });
    expect(validateLine(firmLine('', '123'), 'finra_firm', week)).toMatchObject({ ok: false, code: 'INVALID_MPID' });
  });
});
