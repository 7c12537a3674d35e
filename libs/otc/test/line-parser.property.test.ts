import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OverlongLine } from '@spine/platform';
import { parseCount } from '../src/counts.ts';
import { MAX_LINE_CHARS, REJECT_CODES, validateLine, VerbatimLines } from '../src/record-validator.ts';
import { rawLineExcerpt } from '../src/raw-line-excerpt.ts';

const week = { tier: 'NMS_TIER_1' as const, weekEnding: '2025-12-12', venueType: 'ATS' as const };

const symbol = fc.stringMatching(/^[A-Z0-9][A-Z0-9./-]{0,15}$/);
const mpid = fc.stringMatching(/^[A-Z0-9]{4}$/);
const count = fc.bigInt({ min: 0n, max: 9223372036854775807n }).map(String);
const name = fc.string({ maxLength: 80 }).filter((s) => !/[|\u0000-\u001f\u007f-\u009f]/.test(s));
const goodLine = fc.record({ symbol, name, venue: name, mpid, shares: count, trades: count })
  .map((f) => ({ ...f, line: ['NMS Tier 1', f.symbol, f.name, f.venue, f.mpid, f.shares, f.trades, '2025-12-29'].join('|') }));
const controlChar = fc.integer({ min: 0, max: 0x9f })
  .filter((c) => c !== 0x09 && (c < 0x20 || c >= 0x7f))
  .map((c) => String.fromCharCode(c));

describe('line parser properties', () => {
  it('never throws, and every verdict is an accepted record or a known reject code with a detail', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), fc.constantFrom('finra' as const, 'legacy' as const), (line, format) => {
      const v = validateLine(line, format, week);
      if (v.ok) expect(v.record.mpid).toMatch(/^[A-Z0-9]{4}$/);
      else {
        expect(REJECT_CODES).toContain(v.code);
        expect(v.detail.length).toBeGreaterThan(0);
      }
    }), { numRuns: 2000 });
  });

  it('accepts every well-formed line and keeps its fields exactly', () => {
    fc.assert(fc.property(goodLine, (f) => {
      const v = validateLine(f.line, 'finra', week);
      expect(v).toEqual({ ok: true, record: {
        symbol: f.symbol, issueName: f.name.trim(), marketParticipantName: f.venue.trim(), mpid: f.mpid, firmCrdNumber: null, shares: f.shares, trades: f.trades, lastUpdateDate: '2025-12-29',
      } });
    }));
  });

  it('rejects a line holding a control character as PARSE_ERROR naming the character and column', () => {
    fc.assert(fc.property(goodLine, controlChar, fc.nat(), (f, c, at) => {
      const i = at % (f.line.length + 1);
      const v = validateLine(`${f.line.slice(0, i)}${c}${f.line.slice(i)}`, 'finra', week);
      const code = c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      expect(v).toEqual({ ok: false, code: 'PARSE_ERROR', detail: expect.stringContaining(`control character U+${code}`) as string });
    }));
  });

  it('rejects a line over the length cap as PARSE_ERROR before looking at its fields', () => {
    fc.assert(fc.property(goodLine, fc.integer({ min: 1, max: 10_000 }), (f, extra) => {
      const long = f.line.replace('|2025-12-29', `${' '.repeat(MAX_LINE_CHARS + extra)}|2025-12-29`);
      const v = validateLine(long, 'finra', week);
      expect(v).toEqual({ ok: false, code: 'PARSE_ERROR', detail: `line is ${long.length} characters, more than the ${MAX_LINE_CHARS} allowed` });
    }), { numRuns: 50 });
  });

  it('rejects a line the splitter cut at the cap as PARSE_ERROR with its whole length', () => {
    const cut = new OverlongLine(16 * 1024 * 1024, 'x'.repeat(MAX_LINE_CHARS));
    expect(validateLine(cut, 'finra', week)).toEqual({ ok: false, code: 'PARSE_ERROR', detail: `line is ${cut.length} characters, more than the ${MAX_LINE_CHARS} allowed` });
  });
});

describe('lines taken as FINRA writes them (VerbatimLines)', () => {
  // Each field as FINRA writes it (most often, so that whole lines are too), or changed in a way validateLine
  // normalizes, rejects or keeps.
  const pad = fc.constantFrom(' ', '\t', '\u00a0', '\ufeff');
  const padded = (text: fc.Arbitrary<string>) => fc.tuple(pad, text, fc.constantFrom('', ' ', '\u3000')).map(([a, t, b]) => `${a}${t}${b}`);
  const asWritten = <T>(written: fc.Arbitrary<T>, ...changed: fc.Arbitrary<T>[]) =>
    fc.oneof({ arbitrary: written, weight: 3 * changed.length }, ...changed.map((arbitrary) => ({ arbitrary, weight: 1 })));
  const plainName = name.filter((n) => n === '' || /^[!-~].*[!-~]$|^[!-~]$/s.test(n));
  const field = {
    tier: asWritten(fc.constant('NMS Tier 1'), fc.constantFrom('NMS Tier 2', 'nms tier 1', 'T1', ' NMS Tier 1')),
    symbol: asWritten(symbol, padded(symbol), symbol.map((t) => t.toLowerCase()), fc.constantFrom('#AB', '')),
    name: asWritten(plainName, padded(name), name.map((n) => `${n}\\x`), fc.constantFrom('Caf\u00e9', '\u00c9tat Inc', 'A\tB', 'A\u0001B', 'A\u0085B')),
    mpid: asWritten(mpid, padded(mpid), mpid.map((m) => m.toLowerCase()), fc.constantFrom('AB', '', 'CRD:1')),
    count: asWritten(count.filter((c) => c.length <= 18), padded(count), count,
      fc.constantFrom('-0', '-5', '007', '1,234', '12.0', '99999999999999999999')),
    date: asWritten(fc.constant('2025-12-29'), fc.constantFrom('2025-12-12', '2025-12-11', '2025-02-30', ' 2025-12-29', '', '2025-12-29|x')),
  };
  const line = fc.tuple(field.tier, field.symbol, field.name, field.name, field.mpid, field.count, field.count, field.date).map((f) => f.join('|'));

  it('takes only lines validateLine accepts unchanged, and stores each exactly as the fields would be', () => {
    const verbatim = new VerbatimLines('finra', week);
    let taken = 0;
    fc.assert(fc.property(line, (text) => {
      const match = verbatim.match(text);
      if (!match) return;
      taken += 1;
      const { symbolAt, shareCount, tradeCount, ...record } = match;
      expect(validateLine(text, 'finra', week)).toEqual({ ok: true, record });
      // The counts it read are the ones ingest would read from the fields.
      expect([shareCount, tradeCount]).toEqual([parseCount(record.shares), parseCount(record.trades)]);
      expect(text.slice(symbolAt)).toBe([record.symbol, record.issueName, record.marketParticipantName, record.mpid, record.shares, record.trades,
        record.lastUpdateDate].join('|'));
      expect(text).not.toContain('\\');
    }), { numRuns: 5000 });
    expect(taken).toBeGreaterThan(500);
  });

  it('takes every line in FINRA\'s own form, and none of another format', () => {
    const verbatim = new VerbatimLines('finra', week);
    const plain = fc.string({ minLength: 1, maxLength: 40, unit: fc.constantFrom(...'ABC xyz.,&()-0123456789') }).filter((n) => n.trim() === n);
    fc.assert(fc.property(symbol, plain, plain, mpid, count.filter((c) => c.length <= 18), count.filter((c) => c.length <= 18), (sym, issue, venue, m, shares, trades) => {
      const text = ['NMS Tier 1', sym, issue, venue, m, shares, trades, '2025-12-29'].join('|');
      expect(verbatim.match(text)).toMatchObject({ symbol: sym, issueName: issue, marketParticipantName: venue, mpid: m, shares, trades });
      expect(new VerbatimLines('legacy', week).match(text)).toBeUndefined();
      expect(new VerbatimLines('finra_firm', week).match(`${text}|123`)).toBeUndefined();
    }));
  });
});

describe('a line without lastUpdateDate (fast-check found it, 2026-12-05)', () => {
  it('is left to validateLine, which stores NULL, even before any line with a date was seen', () => {
    const text = 'NMS Tier 1|AAPL|Apple Inc.|UBS ATS|UBSA|100|2|';
    expect(new VerbatimLines('finra', week).match(text)).toBeUndefined();
    expect(validateLine(text, 'finra', week)).toMatchObject({ ok: true, record: { lastUpdateDate: null } });
  });
});

describe('rejected line excerpts', () => {
  it('hold no control characters and stay bounded, however hostile the line', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (line) => {
      const excerpt = rawLineExcerpt(line);
      expect(excerpt).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/);
      expect(excerpt.length).toBeLessThanOrEqual(MAX_LINE_CHARS * 4 + 80);
    }));
  });

  it('show NUL and friends as escapes and say how long a cut line was', () => {
    expect(rawLineExcerpt('A|\u0000|B\u001b[31m')).toBe('A|\\x00|B\\x1b[31m');
    const long = 'x'.repeat(10 * 1024 * 1024);
    expect(rawLineExcerpt(long)).toBe(`${'x'.repeat(MAX_LINE_CHARS)}... (${long.length} characters, cut at ${MAX_LINE_CHARS})`);
    expect(rawLineExcerpt(new OverlongLine(long.length, long.slice(0, MAX_LINE_CHARS)))).toBe(rawLineExcerpt(long));
  });
});
