import type { TestProject } from 'vitest/node';
import { ensureHelm, HELM_PACKAGES, type HelmMajor } from './helm.ts';

/** Fetches both Helm binaries once per run, before the chart tests' workers start. */
export default function setup(project: TestProject): void {
  for (const major of Object.keys(HELM_PACKAGES).map(Number) as HelmMajor[]) project.provide(`helm${major}`, ensureHelm(major));
}

declare module 'vitest' {
  export interface ProvidedContext {
    helm3: string;
    helm4: string;
  }
}
