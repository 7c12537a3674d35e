// The FINRA stand-in, a test double of FINRA's Query API for tests and the demo: its own entry point, so the
// production code (and the image, which leaves this directory out) never loads it.
export {
  startFinraStandIn,
  FINRA_MAX_PAYLOAD_BYTES,
  TOKEN_PATH,
  CONTROL_FAULTS_PATH,
  CONTROL_REQUESTS_PATH,
  CONTROL_TOKENS_PATH,
  type FinraStandIn,
  type FinraStandInOptions,
} from './server.ts';
export { FaultSwitchboard, type Fault, type FaultInput, type FaultMatch, type FaultCommand } from './faults.ts';
export { LEGACY_HEADER } from './week-rows.ts';
export type { RequestLogEntry } from './request-log.ts';
export type { PartitionsAnswer } from './partitions.ts';
export type { StandInCredentials } from './token-issuer.ts';
