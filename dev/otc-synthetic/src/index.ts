export * from './prng.ts';
export * from './universe.ts';
export * from './week-generator.ts';
