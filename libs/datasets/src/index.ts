// The datasets' definitions only (no index of their packages): a process that loads the registry loads what each
// dataset's definition needs to run its stages, nothing else of it.
import { DatasetRegistry } from '@spine/platform/dataset/dataset-registry';
import { migrationsDir } from '@spine/migrations';
import { otcDataset } from '@spine/otc/dataset';
import { regshoDataset } from '@spine/regsho/dataset';

/** Every dataset this release serves. A new dataset is one line here and its own package. */
export const datasets = new DatasetRegistry([otcDataset, regshoDataset]);

/**
 * Every directory of this release's migrations: the platform's, then each registered dataset's own. node-pg-migrate
 * runs them as one sequence in name order across the directories (runMigrations, pendingMigrations), so a migration
 * that moved into a dataset's package keeps its name and a database migrated before the move has nothing pending.
 * Every process that migrates or checks the schema takes its directories from here.
 */
export function migrationDirs(registry: DatasetRegistry = datasets): string[] {
  return [migrationsDir, ...registry.list().flatMap((dataset) => (dataset.migrationsDir ? [dataset.migrationsDir] : []))];
}
