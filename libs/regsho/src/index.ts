export * from './facilities.ts';
export * from './daily-file.ts';
export * from './query-api-records.ts';
export * from './dataset.ts';
