import type { DatasetDefinition } from '@spine/platform';
import { regshoDataset } from '@spine/regsho';

/**
 * Reg SHO's definition as the tests run it, from local files through runPartition: its source factory is not built
 * yet (libs/regsho/src/dataset.ts), and these runs never fetch.
 */
export const regshoFromFiles: DatasetDefinition = {
  ...regshoDataset,
  openSource: () => {
    throw new Error('these tests run Reg SHO partitions from local files: nothing may fetch one');
  },
};
