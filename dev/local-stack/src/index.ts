export { ensureStack, stopStack, ENV_KEYS } from './stack.ts';
export type { StackOptions, StackResult, StackEnvKey, StopOptions, StopResult } from './stack.ts';
export type { ServiceOutcome, ServiceSource } from './service.ts';
export { StackError, describeError } from './errors.ts';
export { findFreePort, isPortOpen } from './port-probe.ts';
export { printableEnv, toShellLines } from './env-output.ts';
