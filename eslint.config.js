import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Module boundaries (issue 19), said twice: by project, with @nx/enforce-module-boundaries and each package's tags
// (its package.json "nx.tags"), and by import path below for what tags cannot say (a lazy import() of a dataset or of
// a development-only workspace). @nx/eslint-plugin is 23.x: the registry has no 24 yet, and its
// @nx/devkit accepts the workspace's nx 24.
// The layers, lowest first: a package may import only the tags its constraint lists.
const LAYERS = [
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:schema', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:dataset', onlyDependOnLibsWithTags: ['type:platform'] },
  // The registry lists the release's migration directories: the platform's schema (type:schema) and its datasets'.
  { sourceTag: 'type:registry', onlyDependOnLibsWithTags: ['type:platform', 'type:schema', 'type:dataset'] },
  // The protocols a source spec reaches (sourceAccess): each dataset's definition says what to ask and how its files are named.
  { sourceTag: 'type:source', onlyDependOnLibsWithTags: ['type:platform'] },
  // Research serves every dataset's questions, which each brings through its definition (DatasetDefinition.research).
  { sourceTag: 'type:research', onlyDependOnLibsWithTags: ['type:platform'] },
  // Orchestration speaks no protocol: the process hands it a SourceCatalog (the platform's interface), built by the source package.
  { sourceTag: 'type:orchestration', onlyDependOnLibsWithTags: ['type:platform', 'type:orchestration'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:platform', 'type:schema', 'type:registry', 'type:source', 'type:research', 'type:orchestration'] },
  { sourceTag: 'type:cli', onlyDependOnLibsWithTags: ['type:platform', 'type:schema', 'type:registry', 'type:source', 'type:research', 'type:orchestration', 'type:app'] },
  // The development-only workspaces (dev/*): test doubles and the tools that start them. Nothing above lists them.
  { sourceTag: 'type:dev', onlyDependOnLibsWithTags: ['*'] },
];
// The development-only workspaces (dev/*: the FINRA stand-in, the synthetic week generator, the local stack, the demo):
// what ships imports none of them; tests/static/dev-only-workspaces.test.ts says the same of the manifests.
const DEV_ONLY = ['@spine/finra-stand-in', '@spine/otc-synthetic', '@spine/regsho-synthetic', '@spine/local-stack', '@spine/demo'].flatMap((name) => [name, `${name}/*`]);
const DEV_ONLY_MESSAGE = 'development-only workspaces (dev/*) stay out of what ships: import them from tests, benchmarks or dev/* only';
// A dataset reaches the processes through the registry (@spine/datasets), never by its own package.
const DATASETS = ['@spine/otc', '@spine/otc/*', '@spine/regsho', '@spine/regsho/*'];
// no-restricted-imports sees static imports only; a command's lazy import() is caught by its source.
const DATASET_IMPORT_EXPRESSION = {
  selector: "ImportExpression[source.value=/^@spine\\/(otc|regsho)(\\/|$)/]",
  message: 'datasets come from the registry (@spine/datasets), not from their packages',
};
const DEV_ONLY_IMPORT_EXPRESSION = {
  selector: "ImportExpression[source.value=/^@spine\\/(finra-stand-in|otc-synthetic|regsho-synthetic|local-stack|demo)(\\/|$)/]",
  message: DEV_ONLY_MESSAGE,
};
// esbuild leaves out what a namespace import does not use, not what hangs off zod's `z` re-export: one `import { z }` puts
// all of zod, its locales with it, into the CLI's bundle (755 KB against 202; 10 ms more of every command's start). Every
// block below that sets no-restricted-syntax lists it too (a block's list replaces an earlier one's).
const ZOD_NAMED_IMPORT = {
  selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z'][importKind!='type']",
  message: "import * as z from 'zod' (zod's own form): a bundle leaves out what a namespace import does not use",
};
const DATASET_FREE = ['libs/orchestration/src/**/*.ts', 'libs/scheduling/src/**/*.ts', 'libs/operations/src/**/*.ts', 'libs/research/src/**/*.ts', 'apps/*/src/**/*.ts'];
const APPS = ['@spine/dashboard', '@spine/dashboard/*', '@spine/worker', '@spine/worker/*', '@spine/scheduler', '@spine/scheduler/*', '@spine/cli', '@spine/cli/*'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.stack/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['libs/*/src/**/*.ts', 'apps/*/src/**/*.ts', 'dev/*/src/**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints: LAYERS }],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error', ZOD_NAMED_IMPORT],
    },
  },
  {
    // What ships: no development-only workspace and no app.
    files: ['libs/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
    ignores: ['libs/cli/src/**/*.ts', ...DATASET_FREE],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: DEV_ONLY, message: DEV_ONLY_MESSAGE },
        { group: APPS, message: 'an app is wiring: libraries and other apps do not import it' },
      ] }],
      'no-restricted-syntax': ['error', ZOD_NAMED_IMPORT, DEV_ONLY_IMPORT_EXPRESSION],
    },
  },
  {
    // The layers that run every dataset: they take datasets from the registry and import no dataset package.
    files: DATASET_FREE,
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: DEV_ONLY, message: DEV_ONLY_MESSAGE },
        { group: APPS, message: 'an app is wiring: libraries and other apps do not import it' },
        { group: DATASETS, message: 'datasets come from the registry (@spine/datasets), not from their packages' },
      ] }],
      'no-restricted-syntax': ['error', ZOD_NAMED_IMPORT, DATASET_IMPORT_EXPRESSION, DEV_ONLY_IMPORT_EXPRESSION],
    },
  },
  {
    // The CLI wires the apps (it may import them); it names no dataset and starts no test double (the demo, which
    // does, is dev/demo).
    files: ['libs/cli/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: DEV_ONLY, message: DEV_ONLY_MESSAGE },
        { group: DATASETS, message: 'datasets come from the registry (@spine/datasets), not from their packages' },
      ] }],
      'no-restricted-syntax': ['error', ZOD_NAMED_IMPORT, DATASET_IMPORT_EXPRESSION, DEV_ONLY_IMPORT_EXPRESSION],
    },
  },
  {
    // Each package reads its environment variables through its own zod schema (its `*-env.ts` module; the shared ones
    // in the platform's config.ts), which names a bad one in one line at start-up. Besides those, only the CLI's runtime:
    // it sets the AWS SDK's warning switch for one-shot commands, and prints a stack under LOG_LEVEL=debug when loading
    // the environment itself failed. Development-only workspaces (dev/) are not checked: the demo hands the environment
    // to the processes it starts.
    files: ['libs/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
    ignores: ['**/src/**/*-env.ts', 'libs/platform/src/config.ts', 'libs/cli/src/runtime.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: "read environment variables through the package's own schema (its *-env.ts module), never process.env" }],
    },
  },
  {
    // The platform is domain-free: it imports no other workspace package.
    files: ['libs/platform/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@spine/*'], message: 'libs/platform is domain-free: it imports no other workspace package' }] }],
    },
  },
);
