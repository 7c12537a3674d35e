export * from './daily-files.ts';
