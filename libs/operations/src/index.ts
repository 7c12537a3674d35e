export * from './coverage.ts';
export * from './activity.ts';
