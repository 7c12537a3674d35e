export { startSchedulerProcess, type SchedulerHandle } from './scheduler-process.ts';
