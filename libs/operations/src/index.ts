export * from './coverage.ts';
export * from './activity.ts';
export * from './publication-cache.ts';
export * from './run-timing.ts';
export * from './partition-detail.ts';
export * from './batch-report.ts';
export * from './lag-view.ts';
export * from './lineage-groups.ts';
