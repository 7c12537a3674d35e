import { fileURLToPath } from 'node:url';

/**
 * The platform's versioned SQL migrations (node-pg-migrate format), with those written before datasets owned theirs
 * that change the core tables and OTC's together. A dataset's own migrations live in its package (its definition's
 * migrationsDir); migrationDirs() of `@spine/datasets` lists this directory and theirs for one run in name order.
 */
export const migrationsDir = fileURLToPath(new URL('../sql', import.meta.url));
