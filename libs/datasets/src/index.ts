// The datasets' definitions only (no index of their packages): a process that loads the registry loads what each
// dataset's definition needs to run its stages, nothing else of it.
import { DatasetRegistry } from '@spine/platform/dataset/dataset-registry';
import { otcDataset } from '@spine/otc/dataset';
import { regshoDataset } from '@spine/regsho/dataset';

/** Every dataset this release serves. A new dataset is one line here and its own package. */
export const datasets = new DatasetRegistry([otcDataset, regshoDataset]);
