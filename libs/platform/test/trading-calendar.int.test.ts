import { afterAll, describe, expect, it } from 'vitest';
import { testPool } from '../../../tests/support/database.ts';
import { loadTradingCalendar, UnknownCalendarError } from '../src/time/trading-calendar.ts';
import { toIsoDate } from '../src/time/week-ending.ts';

const pool = testPool();
afterAll(() => pool.end());

const utc = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day));
const iso = (date: Date) => toIsoDate(date);
const addDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000);
/** The n-th `weekday` (0 Sunday) of a month; n = -1 is the last. */
function nthWeekday(year: number, month: number, weekday: number, n: number): Date {
  if (n > 0) {
    const first = utc(year, month, 1);
    return addDays(first, ((weekday - first.getUTCDay() + 7) % 7) + (n - 1) * 7);
  }
  const last = utc(year, month + 1, 0);
  return addDays(last, -((last.getUTCDay() - weekday + 7) % 7));
}
/** Easter Sunday (the anonymous Gregorian algorithm). */
function easter(year: number): Date {
  const a = year % 19, b = Math.floor(year / 100), c = year % 100, d = Math.floor(b / 4), e = b % 4;
  const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  return utc(year, month, ((h + l - 7 * m + 114) % 31) + 1);
}
/** A fixed-date holiday moved off the weekend as NYSE does (Saturday to Friday, Sunday to Monday). */
function observed(date: Date): Date {
  const weekday = date.getUTCDay();
  return weekday === 6 ? addDays(date, -1) : weekday === 0 ? addDays(date, 1) : date;
}

/**
 * NYSE's holiday rules (NYSE Rule 7.2), computed independently of the migration's rows: a typo there shows up here.
 * New Year's Day on a Saturday is not observed (the Friday before closes a different year).
 */
function nyseHolidays(year: number): string[] {
  const newYear = utc(year, 1, 1);
  const days = [
    ...(newYear.getUTCDay() === 6 ? [] : [observed(newYear)]),
    nthWeekday(year, 1, 1, 3), nthWeekday(year, 2, 1, 3), addDays(easter(year), -2), nthWeekday(year, 5, 1, -1),
    ...(year >= 2022 ? [observed(utc(year, 6, 19))] : []),
    observed(utc(year, 7, 4)), nthWeekday(year, 9, 1, 1), nthWeekday(year, 11, 4, 4), observed(utc(year, 12, 25)),
  ];
  return days.map(iso);
}

describe('the XNYS trading calendar (migration 1000)', () => {
  it('holds NYSE\'s holidays by rule from 2018 to 2027, plus the two unscheduled closures', async () => {
    const calendar = await loadTradingCalendar(pool, 'XNYS');
    expect([calendar.coversFrom, calendar.coversTo]).toEqual(['2018-01-01', '2027-12-31']);
    const { rows } = await pool.query<{ day: string; unscheduled: boolean }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, unscheduled FROM core_market_closures WHERE calendar = 'XNYS' ORDER BY day`);
    const byRule = Array.from({ length: 10 }, (_, i) => nyseHolidays(2018 + i)).flat();
    expect(rows.filter((r) => !r.unscheduled).map((r) => r.day)).toEqual(byRule);
    expect(rows.filter((r) => r.unscheduled).map((r) => r.day)).toEqual(['2018-12-05', '2025-01-09']);
  });

  it('answers the same in SQL as in memory, across a holiday week', async () => {
    const calendar = await loadTradingCalendar(pool, 'XNYS');
    const { rows } = await pool.query<{ day: string }>(`SELECT to_char(d, 'YYYY-MM-DD') AS day FROM core_trading_days('XNYS', '2025-01-01', '2025-01-24') AS d`);
    expect(rows.map((r) => r.day)).toEqual(calendar.tradingDays('2025-01-01', '2025-01-24'));
    expect(calendar.tradingDays('2025-01-06', '2025-01-10')).toEqual(['2025-01-06', '2025-01-07', '2025-01-08', '2025-01-10']);
    const { rows: [year] } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM core_trading_days('XNYS', '2024-01-01', '2024-12-31')`);
    expect(year!.n).toBe(252);
  });

  it('refuses a range past its data and an unknown calendar', async () => {
    await expect(pool.query(`SELECT core_trading_days('XNYS', '2027-12-01', '2028-01-31')`)).rejects.toMatchObject({
      code: '22023', message: 'trading calendar XNYS covers 2018-01-01 to 2027-12-31, not 2027-12-01 to 2028-01-31',
    });
    await expect(pool.query(`SELECT core_trading_days('XLON', '2025-01-01', '2025-01-31')`)).rejects.toMatchObject({ code: '22023' });
    await expect(loadTradingCalendar(pool, 'XLON')).rejects.toBeInstanceOf(UnknownCalendarError);
  });
});
