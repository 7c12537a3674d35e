import type { Queryable } from '@spine/platform/db/pool';
import type { ResearchAnswer } from '@spine/platform/research/research-endpoint';
import { regshoProvenance } from './provenance.ts';
import type { SymbolDailyQuery, SymbolDay } from './schemas.ts';

/** How many trade dates a question without `from` reads back from `to`. */
export const DEFAULT_TRADING_DAYS = 60;

/**
 * A symbol's daily short-sale figures, oldest trade date first, with the 20-trading-day mean short ratio of each day,
 * as FINRA had published them by `as_of_published` (or as loaded now).
 *
 * Parameterized SQL over regsho_captures_as_of (migration 1120) rather than regsho_symbol_daily and
 * regsho_symbol_rolling_20d: those views read each facility-day's newest capture and cannot take a date. The figures
 * are the views' own (the same sums, ratios rounded to 6 places, and the mean of the rounded daily ratios over
 * regsho_window_start's 20 trading days; tests/research/regsho-research-api.test.ts checks them against the views),
 * computed from one symbol's lines (regsho_daily_lines' primary key, capture x symbol) of the captures from the first
 * day's window start to `to`. The captures are selected once (MATERIALIZED), the ranges' defaults from them too, and
 * each day's window start once (regsho_window_start is PL/pgSQL underneath: left in the windows' join filter, it ran
 * once per pair of days, 60 x 60 calls, and took 140 of a question's 180 ms at bench:regsho's size).
 * Windows are counted back from loaded trade dates only: the exchange calendar covers those (core_trading_days raises
 * outside its span), while `from` may be any date.
 */
export async function symbolDaily(db: Queryable, symbol: string, query: SymbolDailyQuery): Promise<ResearchAnswer<SymbolDay>> {
  const { rows } = await db.query<SymbolDay & { in_range: boolean }>(
    `WITH caps AS MATERIALIZED (SELECT * FROM regsho_captures_as_of($2::date)),
     bounds AS MATERIALIZED (
       SELECT f.first_day, l.last_day,
              regsho_window_start((SELECT min(k.trade_date) FROM caps k WHERE k.trade_date BETWEEN f.first_day AND l.last_day)) AS window_from
         FROM (SELECT COALESCE($4::date, (SELECT max(trade_date) FROM caps)) AS last_day) l
        CROSS JOIN LATERAL (SELECT COALESCE($3::date, (SELECT min(d) FROM (SELECT DISTINCT k.trade_date AS d FROM caps k WHERE k.trade_date <= l.last_day
                                                                        ORDER BY 1 DESC LIMIT $5) n)) AS first_day) f),
     days AS (
       SELECT k.trade_date, regsho_window_start(k.trade_date) AS window_start,
              sum(l.short_volume) AS short_volume, sum(l.short_exempt_volume) AS short_exempt_volume, sum(l.total_volume) AS total_volume,
              CASE WHEN sum(l.total_volume) > 0 THEN round(sum(l.short_volume) / sum(l.total_volume), 6) END AS short_ratio,
              CASE WHEN sum(l.short_volume) > 0 THEN round(sum(l.short_exempt_volume) / sum(l.short_volume), 6) END AS short_exempt_share,
              array_agg(k.market_code ORDER BY k.market_code) AS market_codes, array_agg(k.capture_id ORDER BY k.market_code) AS capture_ids
         FROM bounds r
         JOIN caps k ON k.trade_date BETWEEN r.window_from AND r.last_day
         JOIN regsho_daily_lines l ON l.capture_key = k.capture_key AND l.symbol = $1
        GROUP BY k.trade_date)
     SELECT to_char(d.trade_date, 'YYYY-MM-DD') AS trade_date, $1::text AS symbol, d.short_volume::text AS short_volume,
            d.short_exempt_volume::text AS short_exempt_volume, d.total_volume::text AS total_volume, d.short_ratio::float8 AS short_ratio,
            d.short_exempt_share::float8 AS short_exempt_share, d.market_codes, d.capture_ids,
            to_char(d.window_start, 'YYYY-MM-DD') AS window_start, w.days_in_window, w.days_in_window = 20 AS is_complete,
            w.avg_short_ratio::float8 AS avg_short_ratio_20d, d.trade_date >= r.first_day AS in_range
       FROM days d
      CROSS JOIN bounds r
      CROSS JOIN LATERAL (SELECT count(h.short_ratio)::int AS days_in_window, round(avg(h.short_ratio), 6) AS avg_short_ratio
                            FROM days h WHERE h.trade_date BETWEEN d.window_start AND d.trade_date) w
      ORDER BY d.trade_date`,
    [symbol, query.as_of_published ?? null, query.from ?? null, query.to ?? null, DEFAULT_TRADING_DAYS],
  );
  const data = rows.filter((row) => row.in_range).map(({ in_range: _inRange, ...row }) => row);
  // The captures read: every day's in the windows of the days answered (the days before the first are its window's).
  const firstWindow = data[0]?.window_start;
  const read = firstWindow === undefined ? [] : rows.filter((row) => row.trade_date >= firstWindow).flatMap((row) => row.capture_ids);
  return { data, next_page_token: null, ...(await regshoProvenance(db, read, query.as_of_published)) };
}
