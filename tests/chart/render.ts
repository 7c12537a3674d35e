/** Renders helm/market-spine with a real helm binary and parses the objects it produced. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import * as z from 'zod';

export const CHART = fileURLToPath(new URL('../../helm/market-spine', import.meta.url));

// The shape every rendered document must have before the Kubernetes schemas look at it.
const objectSchema = z.looseObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  metadata: z.looseObject({
    name: z.string().min(1),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
});
export type K8sObject = z.infer<typeof objectSchema> & Record<string, unknown>;

export interface HelmRun {
  stdout: string;
  stderr: string;
  ok: boolean;
}

export function runHelm(helm: string, args: string[], values?: object): HelmRun {
  const dir = mkdtempSync(join(tmpdir(), 'chart-values-'));
  try {
    const extra: string[] = [];
    if (values) {
      // JSON is YAML: the override set goes to helm as a values file, exactly as an operator would pass one.
      writeFileSync(join(dir, 'values.json'), JSON.stringify(values));
      extra.push('--values', join(dir, 'values.json'));
    }
    try {
      const stdout = execFileSync(helm, [...args, ...extra], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HELM_CACHE_HOME: join(dir, 'cache'), HELM_CONFIG_HOME: join(dir, 'config'), HELM_DATA_HOME: join(dir, 'data') } });
      return { stdout, stderr: '', ok: true };
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      return { stdout: String(e.stdout ?? ''), stderr: String(e.stderr ?? ''), ok: false };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length) throw new Error(`rendered YAML does not parse: ${doc.errors[0]!.message}`);
      return doc.toJS() as unknown;
    })
    .filter((o) => o !== null && o !== undefined)
    .map((o) => objectSchema.parse(o) as K8sObject);
}

/** `helm template`; throws with helm's own message when it fails. */
export function template(helm: string, release: string, values?: object, namespace = 'spine'): K8sObject[] {
  const run = runHelm(helm, ['template', release, CHART, '--namespace', namespace], values);
  if (!run.ok) throw new Error(`helm template failed: ${run.stderr}`);
  return parseManifests(run.stdout);
}
