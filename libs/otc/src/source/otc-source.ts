import type { PartitionRequest, PartitionSource, SourceAccess, SourceFiles, SourceObject } from '@spine/platform/sources/partition-source';
import { OtcQuerySource } from './otc-query-source.ts';
import { weekFileName } from './week-file-name.ts';
import { weekAsked } from './week-asked.ts';
import { weekNotFound } from './week-not-found.ts';

/** OTC's weeks on what a source spec reaches: FINRA's Query API, or week files named by week-file-name.ts. */
export function openOtcSource(access: SourceAccess): PartitionSource {
  return access.kind === 'api' ? new OtcQuerySource(access.query, access.common) : new OtcFileSource(access.kind, access.files);
}

/** Week files already in FINRA's download format, in a directory or under an S3 prefix, passed through unchanged. */
class OtcFileSource implements PartitionSource {
  constructor(readonly kind: 'dir' | 's3', readonly files: SourceFiles) {}

  describe(): string {
    return this.files.describe();
  }

  async open(partition: PartitionRequest, signal?: AbortSignal): Promise<SourceObject> {
    return this.files.open(weekFileName(weekAsked(partition)), (where) => weekNotFound(partition, where), signal);
  }
}
