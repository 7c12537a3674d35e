import { describe, expect, it } from 'vitest';
import { FINRA_FILE_HEADER, formatRowLine } from '../src/finra-query/row-format.ts';

describe('formatRowLine', () => {
  it('writes the file columns in order and leaves out the API-only fields', () => {
    const line = formatRowLine({
      tierDescription: 'NMS Tier 2',
      issueSymbolIdentifier: 'BRK.B',
      issueName: 'Berkshire Hathaway Inc. Class B ($0.0033 par)',
      marketParticipantName: 'Venue, LLC',
      MPID: 'ABCD',
      totalWeeklyShareQuantity: 3_000_000_000,
      totalWeeklyTradeCount: 42,
      lastUpdateDate: '2025-12-15',
      weekStartDate: '2025-11-24',
      tierIdentifier: 'T2',
    });
    expect(line).toBe('NMS Tier 2|BRK.B|Berkshire Hathaway Inc. Class B ($0.0033 par)|Venue, LLC|ABCD|3000000000|42|2025-12-15');
    expect(line.split('|')).toHaveLength(FINRA_FILE_HEADER.split('|').length);
  });

  it("replaces '|' and line breaks inside values with a space, and null or missing values with an empty field", () => {
    const line = formatRowLine({ tierDescription: 'OTC', issueSymbolIdentifier: 'ABC', issueName: 'A|B\r\nC\nD', marketParticipantName: null, MPID: 'X' });
    expect(line).toBe('OTC|ABC|A B  C D||X|||');
  });
});
