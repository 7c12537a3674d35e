import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema } from '@spine/platform';
import { buildProgram } from '@spine/cli/program';

// No helm binary here: these checks are what can be verified statically (values referenced exist, the ConfigMap
// sets only variables the config schema knows, containers run commands the CLI has).
const CHART = fileURLToPath(new URL('../../helm/market-spine', import.meta.url));
const templates = readdirSync(join(CHART, 'templates')).map((f) => ({ name: f, text: readFileSync(join(CHART, 'templates', f), 'utf8') }));
const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8'));

function lookup(path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), values);
}

describe('helm chart', () => {
  it('has a valid Chart.yaml', () => {
    const chart = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8'));
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'market-spine', type: 'application' });
    expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('references only values that values.yaml defines', () => {
    const missing: string[] = [];
    for (const t of templates) {
      for (const m of t.text.matchAll(/\$?\.Values\.([A-Za-z0-9_.]+)/g)) if (lookup(m[1]!.split('.')) === undefined) missing.push(`${t.name}: ${m[1]}`);
      for (const m of t.text.matchAll(/\$cfg\.([A-Za-z0-9_]+)/g)) {
        for (const role of ['fetch', 'stage']) if (lookup(['worker', role, m[1]!]) === undefined) missing.push(`${t.name}: worker.${role}.${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('sets only environment variables the config schema reads', () => {
    const configMap = templates.find((t) => t.name === 'configmap.yaml')!.text;
    const keys = [...configMap.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(10);
    const known = new Set(Object.keys(envSchema.shape));
    expect(keys.filter((k) => !known.has(k))).toEqual([]);
  });

  it('runs commands the spine CLI has', () => {
    const program = buildProgram();
    const commands = new Set(program.commands.map((c) => c.name()));
    const used = templates.flatMap((t) => [...t.text.matchAll(/args: \["([a-z-]+)"/g)].map((m) => m[1]!));
    expect(new Set(used)).toEqual(new Set(['db', 'worker', 'scheduler', 'dashboard']));
    for (const name of used) expect(commands.has(name), name).toBe(true);
  });
});
