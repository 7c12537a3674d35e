import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client, loadEnv, s3SettingsFromEnv } from '@spine/platform';
import type { ExportManifest } from '@spine/otc/research/export';
import { testDatabaseUrl, testPool } from '../support/database.ts';
import { runSpine } from '../support/spine-cli.ts';
import { TestCluster } from '../support/cluster.ts';
import { duckRows, expectManifestFiles, exportOutDir, loadRevisedResearchData, REVISED_WEEK } from './support.ts';

const pool = testPool();
/** Its S3 server (s3rver) and bucket, for exports to s3://. */
const cluster = new TestCluster();
const env = () => ({ DATABASE_URL: testDatabaseUrl() });
const RANGE = ['--dataset', 'otc', '--from', '2025-10-31', '--to', '2025-12-05'];
let firstCapture: string;
let revisedCapture: string;

beforeAll(async () => {
  await cluster.start();
  ({ firstCapture, revisedCapture } = await loadRevisedResearchData(pool));
});
const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  await cluster.stop();
  await pool.end();
});

/** A directory path that does not exist yet, under a temporary directory removed after the tests. */
const outDir = () => exportOutDir(scratch, 'spine-export-');

/** The lines of the captures an export should hold, as PostgreSQL has them. */
async function linesOf(captureIds: string[]): Promise<Record<string, unknown>[]> {
  const { rows } = await pool.query(
    `SELECT to_char(week_ending, 'YYYY-MM-DD') AS week_ending, tier, venue_type, symbol, mpid, total_volume::float8 AS total_volume,
            total_trades::float8 AS total_trades, source_line_number, capture_id, calc_version
       FROM otc_venue_volume WHERE capture_id = ANY($1::text[]) ORDER BY capture_id, source_line_number`,
    [captureIds],
  );
  return rows;
}

const LINE_COLUMNS = `week_ending::text AS week_ending, tier, venue_type, symbol, mpid, total_volume::double AS total_volume,
  total_trades::double AS total_trades, source_line_number, capture_id, calc_version`;

/** Every object under `prefix` of the cluster's bucket, fetched into a new local directory by its key below the prefix. */
async function fetchPrefix(prefix: string): Promise<string> {
  // As the CLI does: the SDK's notice that its 2027 releases need Node 22 is noise in a test's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const s3 = createS3Client(s3SettingsFromEnv(loadEnv({ ...process.env, ...cluster.env })));
  const dir = join(mkdtempSync(join(tmpdir(), 'spine-export-s3-')), 'out');
  scratch.push(dirname(dir));
  let token: string | undefined;
  do {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: cluster.env.S3_BUCKET, Prefix: `${prefix}/`, ContinuationToken: token }));
    for (const object of listed.Contents ?? []) {
      const body = await (await s3.send(new GetObjectCommand({ Bucket: cluster.env.S3_BUCKET, Key: object.Key }))).Body!.transformToByteArray();
      const file = join(dir, object.Key!.slice(prefix.length + 1));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, body);
    }
    token = listed.NextContinuationToken;
  } while (token);
  s3.destroy();
  return dir;
}

describe('spine export', () => {
  it('writes Hive-partitioned Parquet that DuckDB reads back equal to PostgreSQL, with a manifest whose counts and checksums match', async () => {
    const out = outDir();
    const run = await runSpine(['export', ...RANGE, '--tables', 'venue_volume,symbol_summary,venue_share', '--format', 'parquet', '--out', out], env());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as ExportManifest;
    const served = manifest.provenance.captures.map((c) => c.capture_id);
    expect(served).toContain(revisedCapture);
    expect(served).not.toContain(firstCapture);
    expect(served).toHaveLength(19);

    const lines = await duckRows(`SELECT ${LINE_COLUMNS} FROM read_parquet('${out}/venue_volume/**/*.parquet', hive_partitioning = true)
      ORDER BY capture_id, source_line_number`);
    expect(lines).toEqual(await linesOf(served));

    const summaries = await duckRows(`SELECT week_ending::text AS week_ending, tier, venue_type, symbol, total_volume::double AS total_volume, hhi, capture_id
      FROM read_parquet('${out}/symbol_summary/**/*.parquet', hive_partitioning = true) ORDER BY week_ending, tier, venue_type, symbol`);
    const { rows: pgSummaries } = await pool.query(
      `SELECT to_char(c.period_end, 'YYYY-MM-DD') AS week_ending, c.key_1 AS tier, c.key_2 AS venue_type, s.symbol, s.total_volume::float8 AS total_volume, s.hhi::float8 AS hhi, c.capture_id
         FROM otc_week_symbols s JOIN core_captures c ON c.capture_key = s.capture_key WHERE c.capture_id = ANY($1::text[])
        ORDER BY c.period_end, c.key_1, c.key_2, s.symbol COLLATE "C"`,
      [served],
    );
    expect(summaries).toEqual(pgSummaries);

    const [shares] = await duckRows(`SELECT count(*) AS n, sum(total_volume)::double AS volume FROM read_parquet('${out}/venue_share/**/*.parquet', hive_partitioning = true)`);
    const { rows: [pgShares] } = await pool.query(`SELECT count(*)::int AS n, sum(total_volume)::float8 AS volume FROM otc_venue_share WHERE capture_id = ANY($1::text[])`, [served]);
    expect(shares).toEqual(pgShares);

    expect(manifest.files).toHaveLength(19 * 3);
    await expectManifestFiles(out, manifest.files, { rows: true });
    for (const file of manifest.files) {
      expect(file.path).toBe(`${file.table}/week_ending=${file.week_ending}/tier=${file.tier}/venue_type=${file.venue_type}/data.parquet`);
    }
    expect(manifest.rows).toBe(manifest.files.reduce((sum, f) => sum + f.rows, 0));
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain(manifest.provenance.attribution);
  });

  it('streams the export to s3://bucket/prefix: the objects DuckDB reads back equal PostgreSQL, checksums as the manifest says; a used prefix is refused', async () => {
    const s3Env = () => ({ ...cluster.env, DATABASE_URL: testDatabaseUrl() });
    const url = `s3://${cluster.env.S3_BUCKET}/exports/otc`;
    const run = await runSpine(['export', ...RANGE, '--tables', 'venue_volume,symbol_summary', '--format', 'parquet', '--out', url, '--json'], s3Env());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ out: url, files: 19 * 2, captures: 19 });
    const out = await fetchPrefix('exports/otc');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as ExportManifest;
    const served = manifest.provenance.captures.map((c) => c.capture_id);
    expect(served).toContain(revisedCapture);
    const lines = await duckRows(`SELECT ${LINE_COLUMNS} FROM read_parquet('${out}/venue_volume/**/*.parquet', hive_partitioning = true)
      ORDER BY capture_id, source_line_number`);
    expect(lines).toEqual(await linesOf(served));
    await expectManifestFiles(out, manifest.files, { rows: false });
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain(manifest.provenance.attribution);

    const again = await runSpine(['export', ...RANGE, '--tables', 'venue_volume', '--format', 'csv', '--out', url], s3Env());
    expect(again.code, again.stderr).toBe(2);
    expect(again.stderr).toMatch(new RegExp(`^error: --out: ${url} already holds objects \\(exports/otc/`));
  });

  it('exports as of a date before a revision: the first revision of the week, as CSV', async () => {
    const out = outDir();
    const run = await runSpine(['export', ...RANGE, '--tables', 'venue_volume', '--tier', 'T1', '--as-of-published', '2025-12-28', '--format', 'csv', '--out', out], env());
    expect(run.code).toBe(0);
    const lines = await duckRows(`SELECT ${LINE_COLUMNS} FROM read_csv('${out}/venue_volume/**/*.csv', hive_partitioning = true)
      WHERE week_ending = DATE '${REVISED_WEEK}' ORDER BY capture_id, source_line_number`);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines).toEqual(await linesOf([firstCapture]));
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as ExportManifest;
    expect(manifest.provenance.as_of.published).toBe('2025-12-28');
    expect(new Set(manifest.files.map((f) => f.tier))).toEqual(new Set(['NMS_TIER_1']));
  });

  it('exits 2 with one line on bad input and writes nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['--tables', 'trades', '--format', 'parquet'], /^error: --tables: unknown table "trades"/],
      [['--tables', 'venue_volume', '--format', 'xlsx'], /^error: --format: use parquet or csv/],
      [['--tables', 'venue_volume', '--format', 'csv', '--as-of-published', '2025-12-01', '--as-of-captured', '2025-12-01T00:00:00Z'], /^error: --as-of-captured: give as_of_published/],
    ];
    for (const [args, message] of cases) {
      const out = outDir();
      const run = await runSpine(['export', ...RANGE, ...args, '--out', out], env());
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    }
    const thursday = await runSpine(['export', '--dataset', 'otc', '--from', '2025-10-30', '--to', '2025-12-05', '--tables', 'venue_volume', '--format', 'csv', '--out', outDir()], env());
    expect(thursday.stderr).toMatch(/^error: --from: 2025-10-30 is a Thursday/);
    for (const url of ['https://example.com/prefix', 's3://Not_A_Bucket/prefix']) {
      const refused = await runSpine(['export', ...RANGE, '--tables', 'venue_volume', '--format', 'csv', '--out', url], env());
      expect(refused.code, url).toBe(2);
      expect(refused.stderr, url).toBe('error: --out: write to a local directory or to s3://bucket/prefix (a valid bucket name; no other URL)\n');
    }
    const used = outDir();
    mkdirSync(used);
    writeFileSync(join(used, 'keep.txt'), 'mine');
    const occupied = await runSpine(['export', ...RANGE, '--tables', 'venue_volume', '--format', 'csv', '--out', used], env());
    expect(occupied.code).toBe(2);
    expect(occupied.stderr).toBe(`error: --out: ${used} exists and is not an empty directory\n`);
  });
});
