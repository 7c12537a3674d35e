import type { Queryable } from '@spine/platform/db/pool';
import { calculationsAndState, isoInstant, type ResearchProvenance } from '@spine/platform/research/research-endpoint';
import { DOMAIN } from '../domain.ts';
import type { RegshoCapture } from './schemas.ts';

export const REGSHO_ATTRIBUTION = 'Source: FINRA Reg SHO Daily Short Sale Volume data (short sale volume reported to FINRA\'s trade reporting ' +
  'facilities and the ADF), https://www.finra.org/finra-data/browse-catalog/short-sale-volume-data. FINRA does not warrant the accuracy of the data.';

/**
 * The provenance of an answer read from Reg SHO's `captureIds` at `asOfPublished`, and the tag of its state: the
 * captures, their lineage rows (a re-run publishes again) and quality checks, and `extraState` (what else the answer
 * read, such as OTC's captures).
 */
export async function regshoProvenance(db: Queryable, captureIds: Iterable<string>, asOfPublished: string | undefined, extraState = ''):
  Promise<{ provenance: ResearchProvenance & { captures: RegshoCapture[] }; state: string }> {
  const { rows } = await db.query<RegshoCapture & { calcs: string | null; checked_at: string | null }>(
    `SELECT c.capture_id, to_char(c.period_end, 'YYYY-MM-DD') AS trade_date, c.key_1 AS market_code, c.revision,
            ${isoInstant('c.captured_at')} AS captured_at, to_char(c.published_on, 'YYYY-MM-DD') AS published_on,
            (SELECT string_agg(g.calc_name || '@' || g.calc_version || ':' || g.execution_id, ',' ORDER BY g.calc_name)
               FROM core_calc_lineage g WHERE g.capture_key = c.capture_key) AS calcs,
            (SELECT max(q.checked_at)::text FROM core_quality q WHERE q.capture_id = c.capture_id) AS checked_at
       FROM core_captures c WHERE c.domain = $2 AND c.capture_id = ANY($1::text[])
      ORDER BY c.period_end, c.key_1, c.revision`,
    [[...new Set(captureIds)], DOMAIN],
  );
  const { calculations, state } = calculationsAndState(rows, `${asOfPublished ?? ''}\n${extraState}`);
  return {
    provenance: {
      as_of: { published: asOfPublished ?? null, captured: null },
      captures: rows.map(({ calcs: _calcs, checked_at: _checked, ...capture }) => capture),
      calculations,
      attribution: REGSHO_ATTRIBUTION,
    },
    state,
  };
}
