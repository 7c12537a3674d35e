import type { Queryable } from '@spine/platform/db/pool';
import { InputError } from '@spine/platform/errors';
import { NotFoundError } from '@spine/platform/research/errors';
import { pageOf } from '@spine/platform/research/page-token';
import { provenanceOf, type Answer } from './provenance.ts';
import { cursorFor } from './question.ts';
import type { DiffQuery } from './request-schemas.ts';
import type { DiffSummary, LineChange } from './response-schemas.ts';

/** A page of a revision's changes, with the counts of the whole diff. */
export interface RevisionDiff extends Answer<LineChange> {
  summary: DiffSummary;
}

/**
 * What changed between two captures of one partition, line by line on the natural key (symbol x MPID) of
 * otc_venue_volume: lines added, removed, and changed in volume, trades or names. One call, paged by symbol and MPID.
 */
export async function revisionDiff(db: Queryable, fromCapture: string, toCapture: string, query: DiffQuery): Promise<RevisionDiff> {
  const { rows: captures } = await db.query<{ capture_id: string; partition: string }>(
    `SELECT capture_id, concat_ws(' ', to_char(period_end, 'YYYY-MM-DD'), key_1, key_2) AS partition FROM core_captures WHERE capture_id = ANY($1::text[])`,
    [[fromCapture, toCapture]]);
  for (const id of [fromCapture, toCapture]) if (!captures.some((c) => c.capture_id === id)) throw new NotFoundError(`no capture ${id}`);
  const partitions = new Set(captures.map((c) => c.partition));
  if (partitions.size > 1) throw new InputError(`captures of different partitions (${[...partitions].join(' and ')}): a diff compares two revisions of one partition`);

  const cursor = cursorFor('revision-diff', { from: fromCapture, to: toCapture }, query);
  const [afterSymbol, afterMpid] = cursor.after ?? [null, null];
  const diff = `WITH a AS (SELECT symbol, mpid, total_volume, total_trades, issue_name, market_participant_name FROM otc_venue_volume WHERE capture_id = $1),
     b AS (SELECT symbol, mpid, total_volume, total_trades, issue_name, market_participant_name FROM otc_venue_volume WHERE capture_id = $2),
     d AS (
       SELECT COALESCE(a.symbol, b.symbol) AS symbol, COALESCE(a.mpid, b.mpid) AS mpid,
              CASE WHEN a.symbol IS NULL THEN 'added' WHEN b.symbol IS NULL THEN 'removed'
                   WHEN (a.total_volume, a.total_trades, a.issue_name, a.market_participant_name)
                        IS DISTINCT FROM (b.total_volume, b.total_trades, b.issue_name, b.market_participant_name) THEN 'changed'
                   ELSE 'unchanged' END AS change,
              a.total_volume::float8 AS before_volume, b.total_volume::float8 AS after_volume,
              a.total_trades::float8 AS before_trades, b.total_trades::float8 AS after_trades,
              a.issue_name AS before_issue_name, b.issue_name AS after_issue_name,
              a.market_participant_name AS before_participant_name, b.market_participant_name AS after_participant_name
         FROM a FULL JOIN b ON a.symbol = b.symbol AND a.mpid = b.mpid)`;
  const [{ rows }, { rows: counts }] = await Promise.all([
    db.query<LineChange>(
      `${diff} SELECT change, symbol, mpid, before_volume, after_volume, before_trades, after_trades, before_issue_name, after_issue_name,
              before_participant_name, after_participant_name
         FROM d WHERE change <> 'unchanged' AND ($3::text IS NULL OR (symbol COLLATE "C", mpid COLLATE "C") > ($3::text, $4::text))
        ORDER BY symbol COLLATE "C", mpid COLLATE "C" LIMIT $5`,
      [fromCapture, toCapture, afterSymbol, afterMpid, query.page_size + 1]),
    db.query<{ change: string; n: number }>(`${diff} SELECT change, count(*)::int AS n FROM d GROUP BY change`, [fromCapture, toCapture]),
  ]);
  const count = (change: string) => counts.find((c) => c.change === change)?.n ?? 0;
  const page = pageOf(rows, query.page_size, cursor, (r) => [r.symbol, r.mpid]);
  const sourced = await provenanceOf(db, [fromCapture, toCapture], {});
  return {
    data: page.rows, next_page_token: page.next_page_token, ...sourced,
    summary: { from_capture_id: fromCapture, to_capture_id: toCapture, added: count('added'), removed: count('removed'), changed: count('changed'), unchanged: count('unchanged') },
  };
}
