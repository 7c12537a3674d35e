import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hash32, mulberry32 } from '@spine/otc-synthetic/prng';
import { symbolAt } from '@spine/otc-synthetic/universe';
import { DAILY_HEADER, dailyFileName, type MarketCode } from '@spine/regsho';

/** The facilities a generated day has files for: the four whose files FINRA publishes for NMS securities. */
export const GENERATED_MARKETS: readonly MarketCode[] = ['N', 'Q', 'B', 'D'];

export interface DailyFilesOptions {
  /** The files go to `<dir>/regsho/`, named as FINRA names them (the stand-in's and a `dir:` source's layout). */
  dir: string;
  /** The trading days to write (a TradingCalendar's tradingDays): nothing is written for any other day. */
  days: readonly string[];
  /** Symbols per day, the first of the synthetic NMS Tier 1 universe, so they meet the OTC weeks' symbols. */
  symbols?: number;
  markets?: readonly MarketCode[];
  seed?: number;
}

/**
 * One facility's file of one trade date as FINRA writes it: the header, a line per symbol the facility saw that day
 * (about 4 in 5), volumes with a fraction on about one line in ten (as 2026's files have), and the trailer count.
 * A pure function of its arguments: the same day, facility and seed give the same bytes.
 */
export function dailyFileText(tradeDate: string, marketCode: MarketCode, symbols: number, seed: number): string {
  const lines = [DAILY_HEADER];
  const compact = tradeDate.replaceAll('-', '');
  for (let i = 0; i < symbols; i++) {
    const rng = mulberry32(hash32(seed, tradeDate, marketCode, i));
    if (rng() >= 0.8) continue;
    const fraction = rng() < 0.1 ? [0.25, 0.5, 0.75][Math.floor(rng() * 3)]! : 0;
    const total = Math.floor(1_000 + rng() * 2_000_000) + fraction;
    const short = Math.floor(total * (0.2 + rng() * 0.4));
    const exempt = Math.floor(short * rng() * 0.05);
    lines.push(`${compact}|${symbolAt('NMS_TIER_1', seed, i).symbol}|${short}|${exempt}|${total}|${marketCode}`);
  }
  lines.push(String(lines.length - 1));
  return `${lines.join('\n')}\n`;
}

/** Writes every facility's file of every day; returns the files written and the records they hold. */
export async function writeDailyFiles(options: DailyFilesOptions): Promise<{ files: string[]; records: number }> {
  const dir = path.join(options.dir, 'regsho');
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  let records = 0;
  for (const day of options.days) {
    for (const market of options.markets ?? GENERATED_MARKETS) {
      const text = dailyFileText(day, market, options.symbols ?? 40, options.seed ?? 1);
      const file = path.join(dir, dailyFileName(market, day));
      await writeFile(file, text);
      files.push(file);
      records += text.split('\n').length - 3;
    }
  }
  return { files, records };
}
