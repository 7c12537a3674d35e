import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Module boundaries (issue 19), said twice: by project, with @nx/enforce-module-boundaries and each package's tags
// (its package.json "nx.tags"), and by import path below for what tags cannot say (a test double's entry point inside
// a production package, a dataset's lazy import()). @nx/eslint-plugin is 23.x: the registry has no 24 yet, and its
// @nx/devkit accepts the workspace's nx 24.
// The layers, lowest first: a package may import only the tags its constraint lists.
const LAYERS = [
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:schema', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:dataset', onlyDependOnLibsWithTags: ['type:platform'] },
  { sourceTag: 'type:registry', onlyDependOnLibsWithTags: ['type:platform', 'type:dataset'] },
  // The FINRA client maps OTC's datasets today, and research answers OTC's questions: both are OTC modules.
  { sourceTag: 'type:source', onlyDependOnLibsWithTags: ['type:platform', 'type:dataset'] },
  { sourceTag: 'type:research', onlyDependOnLibsWithTags: ['type:platform', 'type:dataset'] },
  { sourceTag: 'type:orchestration', onlyDependOnLibsWithTags: ['type:platform', 'type:orchestration', 'type:source'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:platform', 'type:schema', 'type:registry', 'type:source', 'type:research', 'type:orchestration'] },
  { sourceTag: 'type:cli', onlyDependOnLibsWithTags: ['type:platform', 'type:schema', 'type:registry', 'type:source', 'type:research', 'type:orchestration', 'type:app', 'type:dev', 'type:dataset'] },
  { sourceTag: 'type:dev', onlyDependOnLibsWithTags: ['*'] },
];
const TEST_DOUBLES = ['@spine/finra-source/stand-in', '@spine/otc/synthetic/*', '@spine/local-stack', '@spine/local-stack/*'];
// A dataset reaches the processes through the registry (@spine/datasets), never by its own package.
const DATASETS = ['@spine/otc', '@spine/otc/*'];
// no-restricted-imports sees static imports only; a command's lazy import() is caught by its source.
const DATASET_IMPORT_EXPRESSION = {
  selector: "ImportExpression[source.value=/^@spine\\/otc(\\/|$)/]",
  message: 'datasets come from the registry (@spine/datasets), not from their packages',
};
const DATASET_FREE = ['libs/orchestration/src/**/*.ts', 'libs/scheduling/src/**/*.ts', 'libs/operations/src/**/*.ts', 'apps/*/src/**/*.ts'];
const APPS = ['@spine/dashboard', '@spine/dashboard/*', '@spine/worker', '@spine/worker/*', '@spine/scheduler', '@spine/scheduler/*', '@spine/cli', '@spine/cli/*'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.stack/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['libs/*/src/**/*.ts', 'apps/*/src/**/*.ts', 'infra/local/src/**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints: LAYERS }],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // What ships: no test double (the FINRA stand-in, the synthetic week generator, the local stack) and no app.
    files: ['libs/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
    ignores: ['libs/cli/src/**/*.ts', ...DATASET_FREE],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: TEST_DOUBLES, message: 'test doubles stay out of what ships: import them from tests or the demo only' },
        { group: APPS, message: 'an app is wiring: libraries and other apps do not import it' },
      ] }],
    },
  },
  {
    // The layers that run every dataset: they take datasets from the registry and import no dataset package.
    files: DATASET_FREE,
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: TEST_DOUBLES, message: 'test doubles stay out of what ships: import them from tests or the demo only' },
        { group: APPS, message: 'an app is wiring: libraries and other apps do not import it' },
        { group: DATASETS, message: 'datasets come from the registry (@spine/datasets), not from their packages' },
      ] }],
      'no-restricted-syntax': ['error', DATASET_IMPORT_EXPRESSION],
    },
  },
  {
    // The CLI wires the apps; only its demo (left out of the image) may start the test doubles or name a dataset.
    files: ['libs/cli/src/**/*.ts'],
    ignores: ['libs/cli/src/demo/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: TEST_DOUBLES, message: 'test doubles stay out of what ships: only the demo (libs/cli/src/demo) starts them' },
        { group: DATASETS, message: 'datasets come from the registry (@spine/datasets), not from their packages' },
      ] }],
      'no-restricted-syntax': ['error', DATASET_IMPORT_EXPRESSION],
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
