import { fileURLToPath } from 'node:url';

/** Versioned SQL migrations (node-pg-migrate format) for the platform and the OTC domain, applied in name order. */
export const migrationsDir = fileURLToPath(new URL('../sql', import.meta.url));
