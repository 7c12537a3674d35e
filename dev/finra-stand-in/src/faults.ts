import { parseTier, type Tier } from '@spine/otc/tiers';
import * as z from 'zod';
import { assertWeekEnding } from '@spine/platform';

export const faultSchema = z.discriminatedUnion('kind', [
  /** 429 Too Many Requests, with `Retry-After: <retryAfterSeconds>` when given. */
  z.object({ kind: z.literal('429'), retryAfterSeconds: z.number().int().min(0).optional() }),
  /** 500 Internal Server Error. */
  z.object({ kind: z.literal('500') }),
  /** 404 Not Found with FINRA's error body, as an endpoint FINRA withdrew or renamed would answer. */
  z.object({ kind: z.literal('404') }),
  /** The normal answer, delayed by delayMs (long enough, the client's timeout fires first). */
  z.object({ kind: z.literal('slow'), delayMs: z.number().int().min(0) }),
  /** A 200 whose JSON body is cut in half, with a Content-Length that matches the cut body. */
  z.object({ kind: z.literal('truncated') }),
  /** The page's rows at the per-issue grain (ATS_W_SMBL), whatever summaryTypeCode was asked for: a source error. */
  z.object({ kind: z.literal('wrong-grain') }),
  /** The page's rows labelled with the previous week's weekStartDate: a source error. */
  z.object({ kind: z.literal('wrong-week') }),
  /** Record-Total off by `delta` (default +1) from the rows that match: a count that cannot add up. */
  z.object({ kind: z.literal('miscount'), delta: z.number().int().default(1) }),
]);
export type Fault = z.output<typeof faultSchema>;
export type FaultInput = z.input<typeof faultSchema>;

/** Restricts a fault to data requests for a tier (any accepted spelling) and/or a week, or to one endpoint. */
export const faultMatchSchema = z.object({ tier: z.string().optional(), weekEnding: z.string().optional(), endpoint: z.enum(['data', 'partitions']).optional() });
export type FaultMatch = z.infer<typeof faultMatchSchema>;

/** One fault in the body of `POST /__standin/faults` (which takes one or an array): the fault plus match/persistent. */
export const faultCommandSchema = z.intersection(faultSchema, z.object({ match: faultMatchSchema.optional(), persistent: z.boolean().optional() }));
export type FaultCommand = z.infer<typeof faultCommandSchema>;

/** What a data request is about; partitions requests have neither field and match only unrestricted faults. */
export interface FaultTarget {
  endpoint: 'data' | 'partitions';
  tier?: Tier;
  weekEnding?: string;
}

export interface ArmedFault {
  fault: Fault;
  tier?: Tier;
  weekEnding?: string;
  endpoint?: 'data' | 'partitions';
}

/**
 * The stand-in's fault switches. Pushed faults are consumed one per matching request, in order; a persistent
 * mode answers every matching request until cleared. Pushed faults are served before the persistent mode.
 */
export class FaultSwitchboard {
  #queue: ArmedFault[] = [];
  #mode: ArmedFault | undefined;

  push(fault: FaultInput, match?: FaultMatch): void {
    this.#queue.push(arm(fault, match));
  }

  /** Sets (or with null clears) the persistent mode. */
  set(mode: FaultInput | null, match?: FaultMatch): void {
    this.#mode = mode ? arm(mode, match) : undefined;
  }

  apply(command: FaultCommand): void {
    const { match, persistent, ...fault } = command;
    if (persistent) this.set(fault, match);
    else this.push(fault, match);
  }

  clear(): void {
    this.#queue = [];
    this.#mode = undefined;
  }

  /** The fault to serve for this request, consuming it when it was pushed. */
  take(target: FaultTarget): Fault | undefined {
    const index = this.#queue.findIndex((armed) => matches(armed, target));
    if (index >= 0) return this.#queue.splice(index, 1)[0]?.fault;
    return this.#mode && matches(this.#mode, target) ? this.#mode.fault : undefined;
  }

  snapshot(): { queued: ArmedFault[]; persistent: ArmedFault | null } {
    return { queued: [...this.#queue], persistent: this.#mode ?? null };
  }
}

function arm(fault: FaultInput, match: FaultMatch = {}): ArmedFault {
  const parsedFault = faultSchema.parse(fault);
  const armed: ArmedFault = { fault: parsedFault, ...(match.endpoint ? { endpoint: match.endpoint } : {}) };
  if (match.tier !== undefined) {
    const tier = parseTier(match.tier);
    if (!tier) throw new Error(`Unknown tier ${JSON.stringify(match.tier)} in fault match`);
    armed.tier = tier;
  }
  if (match.weekEnding !== undefined) {
    assertWeekEnding(match.weekEnding);
    armed.weekEnding = match.weekEnding;
  }
  return armed;
}

function matches(armed: ArmedFault, target: FaultTarget): boolean {
  return (armed.endpoint === undefined || armed.endpoint === target.endpoint)
    && (armed.tier === undefined || armed.tier === target.tier) && (armed.weekEnding === undefined || armed.weekEnding === target.weekEnding);
}
