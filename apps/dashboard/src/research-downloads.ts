import { once } from 'node:events';
import { Router, type Request, type Response } from 'express';
import { InputError, maskSecrets, type Logger } from '@spine/platform';
import { describeIssues } from '@spine/research';
import type { DownloadSink } from '@spine/platform/research/export-files';
import { downloadQuery, downloadTable, EXPORT_TABLES, fridaySchema, symbolSchema, type DownloadRequest } from './otc-research.ts';
import type { ResearchDeps } from './research-deps.ts';

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', parquet: 'application/vnd.apache.parquet' } as const;

/** The response as a download's sink: bytes as they are encoded, waiting for the client between batches; a client gone ends the export. */
function responseSink(res: Response): DownloadSink {
  return {
    write: (chunk) => void res.write(chunk),
    async drained() {
      if (res.destroyed) throw new Error('the client went away');
      if (res.writableNeedDrain) await Promise.race([once(res, 'drain'), once(res, 'close').then(() => { throw new Error('the client went away'); })]);
    },
  };
}

/**
 * Streams one table as a file: headers first (nothing can be refused once bytes are out), so a failure midway ends
 * the response without its last chunk and the client sees a broken download, never a truncated file passed as whole.
 */
async function sendDownload(deps: ResearchDeps, logger: Logger, res: Response, request: DownloadRequest, name: string): Promise<void> {
  res.status(200).type(CONTENT_TYPES[request.format]).set('Content-Disposition', `attachment; filename="${name}.${request.format}"`).set('Cache-Control', 'private, no-store');
  try {
    await downloadTable(deps.pool, request, responseSink(res));
    res.end();
  } catch (error) {
    logger.error({ err: maskSecrets((error as Error).message), table: request.table }, 'research download failed');
    res.destroy();
  }
}

function parse(req: Request, extra: Record<string, string>): DownloadRequest {
  const query = downloadQuery.safeParse({ ...(req.query as Record<string, unknown>), ...extra });
  if (!query.success) throw new InputError(describeIssues(query.error));
  return query.data;
}

/**
 * The research pages' downloads, the tables of `spine export` as one CSV or Parquet file each: a symbol's rows
 * (symbol_summary, venue_volume) over its weeks, or a week's for a tier (venue_share, symbol_summary, venue_volume),
 * at the same point in time as the page. A bad question is answered 400 before anything is sent.
 */
export function researchDownloads(deps: ResearchDeps, logger: Logger): Router {
  const downloads = Router();
  downloads.get('/research/symbols/:symbol/download', refusing((req) => {
    const symbol = symbolSchema.safeParse(req.params.symbol);
    if (!symbol.success) throw new InputError(`symbol: ${describeIssues(symbol.error)}`);
    const request = { ...parse(req, {}), symbol: symbol.data };
    if (!EXPORT_TABLES[request.table].bySymbol) throw new InputError(`table: ${request.table} has no symbol column; a symbol offers symbol_summary and venue_volume`);
    return { request, name: `${symbol.data}_${request.table}${request.tier ? `_${request.tier}` : ''}` };
  }));
  downloads.get('/research/weeks/:week_ending/:tier/download', refusing((req) => {
    const week = fridaySchema.safeParse(req.params.week_ending);
    if (!week.success) throw new InputError(`week_ending: ${describeIssues(week.error)}`);
    const request = parse(req, { tier: String(req.params.tier), from: week.data, to: week.data });
    return { request, name: `${request.tier}_${week.data}_${request.table}` };
  }));
  return downloads;

  /** A download route: the question read from the request (InputError: 400 with its message, nothing sent), then the file. */
  function refusing(question: (req: Request) => { request: DownloadRequest; name: string }) {
    return async (req: Request, res: Response) => {
      let asked: { request: DownloadRequest; name: string };
      try {
        asked = question(req);
      } catch (error) {
        if (error instanceof InputError) return void res.status(400).json({ error: error.message });
        throw error;
      }
      await sendDownload(deps, logger, res, asked.request, asked.name);
    };
  }
}
