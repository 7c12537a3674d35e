export { startWorkerProcess, type WorkerHandle, type WorkerOptions } from './worker-process.ts';
export { spawnWorker, type WorkerChild } from './spawn-worker.ts';
