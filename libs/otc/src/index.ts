export * from './tiers.ts';
export * from './file-format.ts';
export * from './record-validator.ts';
export * from './quality-rules.ts';
export * from './rolling-rules.ts';
export * from './calcs/calc.ts';
export * from './stages/otc-stages.ts';
export * from './pipeline/run-week.ts';
