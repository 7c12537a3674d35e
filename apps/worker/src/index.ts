export { startWorkerProcess, type WorkerHandle, type WorkerOptions } from './worker-process.ts';
