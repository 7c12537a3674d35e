import { createHash } from 'node:crypto';
import { FINRA_FIRM_HEADER, FINRA_HEADER } from '@spine/otc/file-format';
import type { Tier } from '@spine/otc/tiers';
import { VENUES } from './universe.ts';

/**
 * A synthetic week as the API client writes a non-ATS summary: the firm CRD number appended to every line, and the
 * two shapes FINRA's non-ATS data has that ATS data never has (DOMAIN.md): a firm that reports without an MPID (the
 * tier's least frequent venue keeps only its CRD number) and the unattributed aggregate of small firms (the next
 * least frequent loses both). Each venue maps to one key, so no symbol gets a duplicate venue.
 */
export function* nonAtsLines(lines: Iterable<string>, tier: Tier): Generator<string> {
  const venues = VENUES[tier];
  const crdOnly = venues.at(-1)!.mpid;
  const deMinimis = venues.at(-2)!.mpid;
  for (const text of lines) {
    if (text === `${FINRA_HEADER}\n`) {
      yield `${FINRA_FIRM_HEADER}\n`;
      continue;
    }
    const fields = text.slice(0, -1).split('|');
    // Lines the generator broke on purpose (injected rejects) keep their fault, one column longer.
    if (fields.length !== 8) {
      yield `${text.slice(0, -1)}|\n`;
      continue;
    }
    const mpid = fields[4]!;
    if (mpid === deMinimis) {
      fields[3] = 'De Minimis Firms';
      fields[4] = '';
      fields.push('');
    } else {
      fields.push(String(crdNumber(mpid)));
      if (mpid === crdOnly) fields[4] = '';
    }
    yield `${fields.join('|')}\n`;
  }
}

/** A stable made-up CRD number per MPID (real ones are up to seven digits). */
function crdNumber(mpid: string): number {
  return 1_000 + (createHash('sha1').update(mpid).digest().readUInt32BE(0) % 999_000);
}
