import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A small OTC NMS Tier 1 week file written by hand into `dir`: `lines` as `symbol|issue|participant|MPID|shares|trades`,
 * each with lastUpdateDate 2025-01-21 (and a firm CRD for non-ATS lines, whose file has that column).
 */
export function writeOtcWeekFile(dir: string, name: string, venueType: 'ATS' | 'NON_ATS', lines: string[]): string {
  const file = join(dir, name);
  const header = 'tierDescription|issueSymbolIdentifier|issueName|marketParticipantName|MPID|totalWeeklyShareQuantity|totalWeeklyTradeCount|lastUpdateDate';
  const crd = venueType === 'NON_ATS';
  writeFileSync(file, [crd ? `${header}|firmCRDNumber` : header, ...lines.map((l) => `NMS Tier 1|${l}|2025-01-21${crd ? '|100' : ''}`)].join('\n') + '\n');
  return file;
}
