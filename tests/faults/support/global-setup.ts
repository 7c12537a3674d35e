import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPool, runMigrations } from '@spine/platform';
import { migrationDirs } from '@spine/datasets';
import type { TestProject } from 'vitest/node';
import { PrivatePostgres } from './private-postgres.ts';
import { PrivateRedis } from './private-redis.ts';
import { pino } from 'pino';
import { startFinraStandIn } from '@spine/finra-stand-in';
import { FAULT_SEED, fetchFinraWeeks, loadReference, writeFaultDataset } from './fault-dataset.ts';
import { readRecords, renderReport, writeReport } from './reliability-report.ts';

const REPORT = fileURLToPath(new URL('../../../docs/reliability.md', import.meta.url));

/**
 * The fault suite's own servers, started once per run: a private PostgreSQL cluster and a private Redis (AOF on),
 * both on free loopback ports so scenarios may stop, restart and flush them. A migrated template database lets each
 * test file clone its own database in milliseconds; the reference database holds the undisturbed run of the
 * synthetic dataset. At the end the results the scenarios recorded become docs/reliability.md, and everything the
 * run created (cluster, Redis, dataset) is removed.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const startedAt = new Date();
  const work = mkdtempSync(join(tmpdir(), 'spine-faults-run-'));
  const postgres = new PrivatePostgres();
  const redis = new PrivateRedis();
  await postgres.init();
  await redis.start();
  const templateUrl = await postgres.createDatabase('faults_template');
  await runMigrations({ databaseUrl: templateUrl, dirs: migrationDirs() });
  // The dataset is kept as the FINRA client writes it (FINRA's sort order, its header), fetched once from a stand-in
  // serving the synthetic files: a directory-sourced and a FINRA-sourced run then ingest the same lines in the same
  // order, and one undisturbed reference serves both.
  const syntheticDir = join(work, 'synthetic');
  await writeFaultDataset(syntheticDir);
  const datasetDir = join(work, 'dataset');
  const standIn = await startFinraStandIn({ fixturesDir: syntheticDir, logger: pino({ level: 'silent' }) });
  try {
    await fetchFinraWeeks({ FINRA_BASE_URL: standIn.url, FINRA_TOKEN_URL: standIn.tokenUrl, FINRA_REQUESTS_PER_SECOND: '1000' }, datasetDir);
  } finally {
    await standIn.close();
  }
  const referenceUrl = await postgres.createDatabase('faults_reference', 'faults_template');
  const reference = createPool(referenceUrl, 2);
  try {
    await loadReference(reference, datasetDir);
  } finally {
    await reference.end();
  }
  const resultsFile = join(work, 'results.jsonl');
  project.provide('faults', {
    pgDir: postgres.dir, pgPort: postgres.port, redisDir: redis.dir, redisPort: redis.port, referenceUrl, datasetDir, resultsFile,
    workDir: work,
  });

  return async () => {
    const records = readRecords(resultsFile);
    if (records.length) {
      writeReport(REPORT, renderReport(records, { startedAt, durationMs: Date.now() - startedAt.getTime(), seed: FAULT_SEED, command: 'npm run test:faults' }));
    }
    await redis.destroy();
    await postgres.destroy();
    rmSync(work, { recursive: true, force: true });
  };
}

export interface FaultsContext {
  pgDir: string;
  pgPort: number;
  redisDir: string;
  redisPort: number;
  referenceUrl: string;
  datasetDir: string;
  resultsFile: string;
  workDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    faults: FaultsContext;
  }
}
