import { Readable } from 'node:stream';
import { capBytes } from '@spine/platform/streams/byte-cap';
import {
  SourceNotFoundError, type PartitionRequest, type PartitionSource, type PublishedPartitions, type SourceAccess, type SourceFiles, type SourceLimits, type SourceObject,
} from '@spine/platform/sources/partition-source';
import type { PartitionsAnswer, QueryAnswer, QueryApi } from '@spine/platform/sources/query-api';
import { DAILY_HEADER, dailyFileName } from '../daily-file.ts';
import { parseMarketCode, type MarketCode } from '../facilities.ts';
import { dailyFileLine, QUERY_API_DATASET, regShoDailyRecord, type RegShoDailyRecord } from '../query-api-records.ts';

/**
 * One facility's daily short-sale volume of one trade date (the partition: trade date in the period slot, market code
 * in the first key's) on what a source spec reaches: FINRA's Query API (regShoDaily), or FINRA's daily files as
 * published (`<prefix>shvol<YYYYMMDD>.txt`) in a directory or under an S3 prefix.
 */
export function openRegShoSource(access: SourceAccess): PartitionSource {
  return access.kind === 'api' ? new RegShoQuerySource(access.query, access.common) : new RegShoFileSource(access.kind, access.files);
}

function partitionOf(partition: PartitionRequest): { tradeDate: string; marketCode: MarketCode } {
  const marketCode = parseMarketCode(partition.key1);
  if (!marketCode) throw new Error(`FINRA publishes no daily short-sale volume for market code "${partition.key1}"`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(partition.periodEnd)) throw new Error(`trade_date must be YYYY-MM-DD, got "${partition.periodEnd}"`);
  return { tradeDate: partition.periodEnd, marketCode };
}

function dayNotFound(partition: PartitionRequest, where: string): SourceNotFoundError {
  return new SourceNotFoundError(`No ${partition.key1} short-sale volume for the trade date ${partition.periodEnd} at ${where}`, partition, where);
}

/** FINRA's daily files, passed through unchanged (the stored raw object hashes the same as the file). */
class RegShoFileSource implements PartitionSource {
  constructor(readonly kind: 'dir' | 's3', readonly files: SourceFiles) {}

  describe(): string {
    return this.files.describe();
  }

  async open(partition: PartitionRequest, signal?: AbortSignal): Promise<SourceObject> {
    const { tradeDate, marketCode } = partitionOf(partition);
    return this.files.open(dailyFileName(marketCode, tradeDate), (where) => dayNotFound(partition, where), signal);
  }
}

/**
 * regShoDaily asked for one trade date and facility (both EQUAL filters, sorted by symbol for stable pages), written
 * as that facility's daily file so an answer and a downloaded file are stored and read alike.
 */
class RegShoQuerySource implements PartitionSource {
  readonly kind = 'api';

  constructor(private readonly api: QueryApi, private readonly limits: SourceLimits) {}

  describe(): string {
    return this.api.describe();
  }

  async open(partition: PartitionRequest, signal?: AbortSignal): Promise<SourceObject> {
    const { tradeDate, marketCode } = partitionOf(partition);
    const answer = await this.api.open({
      group: QUERY_API_DATASET.group, name: QUERY_API_DATASET.name, fields: Object.keys(regShoDailyRecord.shape),
      filters: { tradeReportDate: tradeDate, marketCode }, sortFields: ['securitiesInformationProcessorSymbolIdentifier'],
      record: regShoDailyRecord, recordsName: 'regShoDaily records',
    }, signal);
    if (answer.empty) {
      // A facility may have no short sales on a day FINRA published (its file then holds a trailer of 0); the API
      // answers that as it answers a day not published yet, so the partitions tell them apart.
      const published = await this.published(tradeDate, signal).catch(() => undefined);
      if (!published?.has(marketCode, tradeDate)) throw dayNotFound(partition, answer.label);
      return { body: Readable.from([`${DAILY_HEADER}\n0\n`]), sourceUri: answer.uri };
    }
    return { body: capBytes(Readable.from(fileText(answer, tradeDate, marketCode)), this.limits.maxFileBytes, answer.uri), sourceUri: answer.uri };
  }

  /** The trade dates regShoDaily lists as partitions: a date listed is published for every facility. */
  published(oldestPeriod: string, signal?: AbortSignal): Promise<PublishedPartitions> {
    return this.api.partitions({ ...QUERY_API_DATASET, unknown: 'which trade dates are published' }, (answer) => listedDays(answer, oldestPeriod), signal);
  }
}

/** The answer's pages as the facility's file; a record of another day or facility fails the read before anything is stored. */
async function* fileText(answer: QueryAnswer<RegShoDailyRecord>, tradeDate: string, marketCode: MarketCode): AsyncGenerator<string> {
  yield `${DAILY_HEADER}\n`;
  let count = 0;
  for await (const page of answer.pages) {
    let text = '';
    for (const record of page) {
      count++;
      if (record.tradeReportDate !== tradeDate || record.marketCode !== marketCode) {
        throw answer.invalid(`record ${count} is of ${record.tradeReportDate} ${record.marketCode}, not the ${tradeDate} ${marketCode} asked for`);
      }
      text += `${dailyFileLine(record)}\n`;
    }
    yield text;
  }
  yield `${count}\n`;
}

function listedDays(answer: PartitionsAnswer, oldestPeriod: string): PublishedPartitions {
  const at = answer.partitionFields.indexOf(QUERY_API_DATASET.partitionField);
  if (at < 0 && answer.partitions.length > 0) throw answer.invalid(`partitionFields ${JSON.stringify(answer.partitionFields)} lack ${QUERY_API_DATASET.partitionField}`);
  const days = new Set(answer.partitions.map((p) => p[at] ?? '').filter((day) => day >= oldestPeriod));
  return { has: (_marketCode, tradeDate) => days.has(tradeDate), where: answer.url };
}
