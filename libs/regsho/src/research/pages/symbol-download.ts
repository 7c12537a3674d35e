import * as z from 'zod';
import { InputError } from '@spine/platform/errors';
import { openTableFile, type ExportColumn } from '@spine/platform/research/export-files';
import { describeIssues } from '@spine/platform/research/describe-issues';
import type { PageRequest, ResearchFile } from '@spine/platform/research/research-pages';
import { REGSHO_ATTRIBUTION } from '../provenance.ts';
import { regshoSymbolSchema, symbolDailyQuery, type SymbolDay } from '../schemas.ts';
import { symbolDaily } from '../symbol-daily.ts';
import { symbolQuestion } from './symbol-question.ts';

const formatSchema = z.enum(['csv', 'parquet']);

/** The symbol page's table as a file: the API's regshoSymbolDaily fields, arrays as comma-separated text. */
const COLUMNS: readonly ExportColumn[] = [
  { name: 'trade_date', type: 'STRING', nullable: false }, { name: 'symbol', type: 'STRING', nullable: false },
  { name: 'short_volume', type: 'DECIMAL', nullable: false }, { name: 'short_exempt_volume', type: 'DECIMAL', nullable: false },
  { name: 'total_volume', type: 'DECIMAL', nullable: false }, { name: 'short_ratio', type: 'DOUBLE', nullable: true },
  { name: 'short_exempt_share', type: 'DOUBLE', nullable: true }, { name: 'market_codes', type: 'STRING', nullable: false },
  { name: 'capture_ids', type: 'STRING', nullable: false }, { name: 'window_start', type: 'STRING', nullable: false },
  { name: 'days_in_window', type: 'INT32', nullable: false }, { name: 'avg_short_ratio_20d', type: 'DOUBLE', nullable: true },
];

const cells = (day: SymbolDay): unknown[] => [
  day.trade_date, day.symbol, day.short_volume, day.short_exempt_volume, day.total_volume, day.short_ratio, day.short_exempt_share,
  day.market_codes.join(','), day.capture_ids.join(','), day.window_start, day.days_in_window, day.avg_short_ratio_20d,
];

/**
 * A symbol's trade dates as its page shows them (the same range and point in time), as one CSV or Parquet file with
 * FINRA's attribution. A bad question is an InputError, which the dashboard answers 400 before anything is sent.
 */
export function symbolDailyDownload(page: PageRequest): ResearchFile {
  const symbol = regshoSymbolSchema.safeParse(page.params.symbol);
  if (!symbol.success) throw new InputError(`symbol: ${describeIssues(symbol.error)}`);
  const format = formatSchema.safeParse(page.query.format ?? 'csv');
  if (!format.success) throw new InputError(`format: ${describeIssues(format.error)}`);
  const query = symbolDailyQuery.safeParse(symbolQuestion(page.query));
  if (!query.success) throw new InputError(describeIssues(query.error));
  return {
    name: `${symbol.data}_regsho_symbol_daily`, format: format.data, table: 'symbol_daily',
    async write(pool, sink) {
      const { data } = await symbolDaily(pool, symbol.data, query.data);
      const file = await openTableFile(format.data, sink, COLUMNS, REGSHO_ATTRIBUTION);
      file.write({ names: COLUMNS.map((c) => c.name), rows: data.map(cells), constants: {} });
      file.finish();
      await sink.drained();
      return { rows: data.length };
    },
  };
}
