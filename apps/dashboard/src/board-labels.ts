import * as z from 'zod';
import type { Queue } from 'bullmq';
import { partitionKeys, seriesName, type DatasetRegistry } from '@spine/platform';
import { LEGACY_QUEUES, QUEUES, weekJobSchema } from '@spine/orchestration';
import type { BoardLabels } from './bull-boards.ts';
import { partitionPath } from './request-schemas.ts';

const batchOfJob = z.object({ batch_id: z.string().min(1) });

/**
 * Bull Board's words for the queues every dataset shares: what runs on each, and for each job a link to the page
 * that explains it (its partition, with its dataset, or else its batch).
 */
export function boardLabels(datasets: DatasetRegistry): BoardLabels {
  const titles = datasets.list().map((d) => d.shortTitle).join(', ');
  return {
    description: (queue: Queue) => {
      const legacy = Object.values(LEGACY_QUEUES).includes(queue.name);
      const what = queue.name === QUEUES.fetch || queue.name === LEGACY_QUEUES.fetch
        ? `Downloads of every dataset's partitions into S3 (${titles})`
        : `Pipeline stages of every dataset's partitions, and their batches' window and closing jobs (${titles})`;
      return legacy ? `The queue's name before every dataset shared it: what an earlier release left here runs on today's workers. ${what}` : what;
    },
    externalJobUrl: (job) => {
      const partition = weekJobSchema.safeParse(job.data);
      const dataset = partition.success ? datasets.find(partition.data.dataset ?? datasets.first.name) : undefined;
      if (partition.success && dataset) {
        const { tier, week_ending } = partition.data;
        const venue_type = partition.data.venue_type ?? partitionKeys(dataset)[1].legacyDefault ?? '';
        return {
          href: partitionPath({ tier, venue_type, week_ending }, dataset === datasets.first ? undefined : dataset.name),
          displayText: `${dataset.shortTitle}: ${seriesName(dataset, tier, venue_type)} ${week_ending} on the dashboard`,
        };
      }
      const batch = batchOfJob.safeParse(job.data);
      return batch.success ? { href: `/batches/${encodeURIComponent(batch.data.batch_id)}`, displayText: 'its batch on the dashboard' } : { href: '/batches', displayText: 'batches on the dashboard' };
    },
  };
}
