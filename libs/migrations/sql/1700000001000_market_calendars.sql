-- Up Migration
-- Trading calendars as data: the days a market is closed besides weekends, and the span each calendar's rows cover,
-- so that a day past it is "not known" rather than taken for a trading day. A dataset published per trading day (Reg
-- SHO's daily short-sale volume) expects a partition on every open day and none on a closure. Next year's closures
-- come as a migration that inserts them and moves covers_to; an exchange's unscheduled closure (a national day of
-- mourning) comes the same way, when it is announced.
CREATE TABLE core_market_calendars (
  calendar    text PRIMARY KEY CHECK (calendar ~ '^[A-Z0-9]{4}$'),
  name        text NOT NULL,
  timezone    text NOT NULL,
  covers_from date NOT NULL,
  covers_to   date NOT NULL,
  source      text NOT NULL,
  CHECK (covers_from <= covers_to)
);

CREATE TABLE core_market_closures (
  calendar    text NOT NULL REFERENCES core_market_calendars ON DELETE CASCADE,
  day         date NOT NULL,
  reason      text NOT NULL,
  unscheduled boolean NOT NULL DEFAULT false,
  PRIMARY KEY (calendar, day),
  -- A weekend day is closed by definition; a row for one would mean the data was typed wrong.
  CHECK (extract(isodow FROM day) < 6)
);

-- core_trading_days($1 calendar, $2 first day, $3 last day): the calendar's trading days in [$2, $3], in order.
-- Raises (SQLSTATE 22023) when the range leaves the span the calendar's closures cover.
CREATE FUNCTION core_trading_days(p_calendar text, p_from date, p_to date) RETURNS SETOF date
LANGUAGE plpgsql STABLE AS $$
DECLARE
  span core_market_calendars%ROWTYPE;
BEGIN
  SELECT * INTO span FROM core_market_calendars WHERE calendar = p_calendar;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no trading calendar %', p_calendar USING ERRCODE = '22023';
  END IF;
  IF p_from < span.covers_from OR p_to > span.covers_to THEN
    RAISE EXCEPTION 'trading calendar % covers % to %, not % to %', p_calendar, span.covers_from, span.covers_to, p_from, p_to
      USING ERRCODE = '22023', HINT = 'add the closures of the missing years with a migration';
  END IF;
  RETURN QUERY
    SELECT d::date FROM generate_series(p_from, p_to, interval '1 day') AS d
     WHERE extract(isodow FROM d) < 6
       AND NOT EXISTS (SELECT 1 FROM core_market_closures x WHERE x.calendar = p_calendar AND x.day = d::date)
     ORDER BY 1;
END $$;

INSERT INTO core_market_calendars (calendar, name, timezone, covers_from, covers_to, source) VALUES
  ('XNYS', 'New York Stock Exchange', 'America/New_York', '2018-01-01', '2027-12-31',
   'NYSE holidays and trading hours (nyse.com/markets/hours-calendars); unscheduled closures by NYSE notice');

INSERT INTO core_market_closures (calendar, day, reason, unscheduled) VALUES
  ('XNYS', '2018-01-01', 'New Year''s Day', false),
  ('XNYS', '2018-01-15', 'Martin Luther King, Jr. Day', false),
  ('XNYS', '2018-02-19', 'Washington''s Birthday', false),
  ('XNYS', '2018-03-30', 'Good Friday', false),
  ('XNYS', '2018-05-28', 'Memorial Day', false),
  ('XNYS', '2018-07-04', 'Independence Day', false),
  ('XNYS', '2018-09-03', 'Labor Day', false),
  ('XNYS', '2018-11-22', 'Thanksgiving Day', false),
  ('XNYS', '2018-12-05', 'National Day of Mourning for President George H.W. Bush', true),
  ('XNYS', '2018-12-25', 'Christmas Day', false),
  ('XNYS', '2019-01-01', 'New Year''s Day', false),
  ('XNYS', '2019-01-21', 'Martin Luther King, Jr. Day', false),
  ('XNYS', '2019-02-18', 'Washington''s Birthday', false),
  ('XNYS', '2019-04-19', 'Good Friday', false),
  ('XNYS', '2019-05-27', 'Memorial Day', false),
  ('XNYS', '2019-07-04', 'Independence Day', false),
  ('XNYS', '2019-09-02', 'Labor Day', false),
  ('XNYS', '2019-11-28', 'Thanksgiving Day', false),
  ('XNYS', '2019-12-25', 'Christmas Day', false),
  ('XNYS', '2020-01-01', 'New Year''s Day', false),
  ('XNYS', '2020-01-20', 'Martin Luther King, Jr. Day', false),
  ('XNYS', '2020-02-17', 'Washington''s Birthday', false),
  ('XNYS', '2020-04-10', 'Good Friday', false),
  ('XNYS', '2020-05-25', 'Memorial Day', false),
  ('XNYS', '2020-07-03', 'Independence Day (observed)', false),
  ('XNYS', '2020-09-07', 'Labor Day', false),
  ('XNYS', '2020-11-26', 'Thanksgiving Day', false),
  ('XNYS', '2020-12-25', 'Christmas Day', false),
  ('XNYS', '2021-01-01', 'New Year''s Day', false),
  ('XNYS', '2021-01-18', 'Martin Luther King, Jr. Day', false),
  ('XNYS', '2021-02-15', 'Washington''s Birthday', false),
  ('XNYS', '2021-04-02', 'Good Friday', false),
  ('XNYS', '2021-05-31', 'Memorial Day', false),
  ('XNYS', '2021-07-05', 'Independence Day (observed)', false),
  ('XNYS', '2021-09-06', 'Labor Day', false),
  ('XNYS', '2021-11-25', 'Thanksgiving Day', false),
  ('XNYS', '2021-12-24', 'Christmas Day (observed)', false),
  ('XNYS', '2022-01-17', 'Martin Luther King, Jr. Day', false),
  ('XNYS', '2022-02-21', 'Washington''s Birthday', false),
  ('XNYS', '2022-04-15', 'Good Friday', false),
  ('XNYS', '2022-05-30', 'Memorial Day', false),
  ('XNYS', '2022-06-20', 'Juneteenth National Independence Day (observed)', false),
  ('XNYS', '2022-07-04', 'Independence Day', false),
  ('XNYS', '2022-09-05', 'Labor Day', false),
  ('XNYS', '2022-11-24', 'Thanksgiving Day', false),
  ('XNYS', '2022-12-26', 'Christmas Day (observed)', false),
  ('XNYS', '2023-01-02', 'New Year''s Day (observed)', false),
  ('XNYS', '2023-01-16', 'Martin Luther King, Jr. Day', false),
  ('XNYS', '2023-02-20', 'Washington''s Birthday', false),
  ('XNYS', '2023-04-07', 'Good Friday', false),
  ('XNYS', '2023-05-29', 'Memorial Day', false),
  ('XNYS', '2023-06-19', 'Juneteenth National Independence Day', false),
  ('XNYS', '2023-07-04', 'Independence Day', false),
  ('XNYS', '2023-09-04', 'Labor Day', false),
  ('XNYS', '2023-11-23', 'Thanksgiving Day', false),
  ('XNYS', '2023-12-25', 'Christmas Day', false),
  ('XNYS', '2024-01-01', 'New Year''s Day', false),
  ('XNYS', '2024-01-15', 'Martin Luther King, Jr. Day', false),
  ('XNYS', '2024-02-19', 'Washington''s Birthday', false),
  ('XNYS', '2024-03-29', 'Good Friday', false),
  ('XNYS', '2024-05-27', 'Memorial Day', false),
  ('XNYS', '2024-06-19', 'Juneteenth National Independence Day', false),
  ('XNYS', '2024-07-04', 'Independence Day', false),
  ('XNYS', '2024-09-02', 'Labor Day', false),
  ('XNYS', '2024-11-28', 'Thanksgiving Day', false),
  ('XNYS', '2024-12-25', 'Christmas Day', false),
  ('XNYS', '2025-01-01', 'New Year''s Day', false),
  ('XNYS', '2025-01-09', 'National Day of Mourning for President Jimmy Carter', true),
  ('XNYS', '2025-01-20', 'Martin Luther King, Jr. Day', false),
  ('XNYS', '2025-02-17', 'Washington''s Birthday', false),
  ('XNYS', '2025-04-18', 'Good Friday', false),
  ('XNYS', '2025-05-26', 'Memorial Day', false),
  ('XNYS', '2025-06-19', 'Juneteenth National Independence Day', false),
  ('XNYS', '2025-07-04', 'Independence Day', false),
  ('XNYS', '2025-09-01', 'Labor Day', false),
  ('XNYS', '2025-11-27', 'Thanksgiving Day', false),
  ('XNYS', '2025-12-25', 'Christmas Day', false),
  ('XNYS', '2026-01-01', 'New Year''s Day', false),
  ('XNYS', '2026-01-19', 'Martin Luther King, Jr. Day', false),
  ('XNYS', '2026-02-16', 'Washington''s Birthday', false),
  ('XNYS', '2026-04-03', 'Good Friday', false),
  ('XNYS', '2026-05-25', 'Memorial Day', false),
  ('XNYS', '2026-06-19', 'Juneteenth National Independence Day', false),
  ('XNYS', '2026-07-03', 'Independence Day (observed)', false),
  ('XNYS', '2026-09-07', 'Labor Day', false),
  ('XNYS', '2026-11-26', 'Thanksgiving Day', false),
  ('XNYS', '2026-12-25', 'Christmas Day', false),
  ('XNYS', '2027-01-01', 'New Year''s Day', false),
  ('XNYS', '2027-01-18', 'Martin Luther King, Jr. Day', false),
  ('XNYS', '2027-02-15', 'Washington''s Birthday', false),
  ('XNYS', '2027-03-26', 'Good Friday', false),
  ('XNYS', '2027-05-31', 'Memorial Day', false),
  ('XNYS', '2027-06-18', 'Juneteenth National Independence Day (observed)', false),
  ('XNYS', '2027-07-05', 'Independence Day (observed)', false),
  ('XNYS', '2027-09-06', 'Labor Day', false),
  ('XNYS', '2027-11-25', 'Thanksgiving Day', false),
  ('XNYS', '2027-12-24', 'Christmas Day (observed)', false);

-- Down Migration
DROP FUNCTION core_trading_days(text, date, date);
DROP TABLE core_market_closures, core_market_calendars;
