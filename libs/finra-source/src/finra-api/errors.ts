import { PublishedPartitionsUnknownError } from '@spine/platform/sources/partition-source';

const EXCERPT_CHARS = 300;

export function bodyExcerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

/** A request to FINRA (or its stand-in) that the retry loop may repeat. */
export abstract class FinraRequestError extends Error {
  abstract readonly retryable: boolean;
  readonly url: string;

  constructor(url: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.url = url;
  }
}

/** FINRA's JSON error body (DOMAIN.md: `{statusCode, statusDescription, requestId, message}`), when the answer is one. */
export interface FinraErrorBody {
  statusCode?: number;
  statusDescription?: string;
  requestId?: string;
  message?: string;
}

function finraErrorBody(body: string): FinraErrorBody | undefined {
  try {
    const json: unknown = JSON.parse(body);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
    const { statusCode, statusDescription, requestId, message } = json as Record<string, unknown>;
    if (typeof message !== 'string' && typeof requestId !== 'string') return undefined;
    return {
      statusCode: typeof statusCode === 'number' ? statusCode : undefined,
      statusDescription: typeof statusDescription === 'string' ? statusDescription : undefined,
      requestId: typeof requestId === 'string' ? requestId : undefined,
      message: typeof message === 'string' ? message : undefined,
    };
  } catch {
    return undefined;
  }
}

/**
 * FINRA's partitions could not be read (404, an error, no answer): which partitions it has published is unknown, which
 * is not the same as unpublished. Callers fall back to asking the data endpoints, and say so.
 */
export class PartitionsUnknownError extends PublishedPartitionsUnknownError {
  override readonly name = 'PartitionsUnknownError';
  /** `unknown` says what stays unknown in the dataset's terms, e.g. "which weeks are published". */
  constructor(readonly url: string, { cause, unknown }: { cause: unknown; unknown: string }) {
    super(`FINRA's partitions at ${url} could not be read (${cause instanceof Error ? cause.message : String(cause)}): ${unknown} is unknown`, { cause });
  }
}

/** A non-2xx answer. 429 and 5xx are worth repeating; any other 4xx will not change on its own. */
export class FinraHttpError extends FinraRequestError {
  override readonly name = 'FinraHttpError';
  readonly status: number;
  readonly bodyExcerpt: string;
  /** FINRA's error body, so its message and request id (what FINRA support asks for) reach the log. */
  readonly finra: FinraErrorBody | undefined;
  /** Server-requested wait from Retry-After, when it sent a usable one. */
  readonly retryAfterMs: number | undefined;

  constructor(url: string, status: number, body: string, retryAfterMs?: number) {
    const excerpt = bodyExcerpt(body);
    const finra = finraErrorBody(body);
    const detail = finra
      ? `${finra.message ?? finra.statusDescription ?? ''}${finra.requestId ? ` (FINRA requestId ${finra.requestId})` : ''}`.trim()
      : excerpt;
    super(url, `HTTP ${status} from ${url}${detail ? `: ${detail}` : ''}`);
    this.status = status;
    this.bodyExcerpt = excerpt;
    this.finra = finra;
    this.retryAfterMs = retryAfterMs;
  }

  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

/**
 * A 2xx answer that is not what the protocol promises. Unparseable JSON is usually a cut-off transfer and is
 * retried; well-formed JSON of the wrong shape would come back the same and is not.
 */
export class FinraResponseError extends FinraRequestError {
  override readonly name = 'FinraResponseError';
  readonly retryable: boolean;

  constructor(url: string, problem: string, retryable: boolean, options?: ErrorOptions) {
    super(url, `Invalid response from ${url}: ${problem}`, options);
    this.retryable = retryable;
  }
}

export class FinraTimeoutError extends FinraRequestError {
  override readonly name = 'FinraTimeoutError';
  readonly retryable = true;
  readonly timeoutMs: number;

  constructor(url: string, timeoutMs: number) {
    super(url, `No complete answer from ${url} within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** Connection refused or reset, DNS failure and the like: fetch rejects with a TypeError carrying a cause. */
export class FinraNetworkError extends FinraRequestError {
  override readonly name = 'FinraNetworkError';
  readonly retryable = true;

  constructor(url: string, cause: unknown) {
    const detail = cause instanceof Error && cause.cause instanceof Error ? cause.cause.message : String(cause);
    super(url, `Network error calling ${url}: ${detail}`, { cause });
  }
}

export class FinraRetriesExhaustedError extends Error {
  override readonly name = 'FinraRetriesExhaustedError';
  readonly attempts: number;
  readonly lastError: FinraRequestError;

  constructor(attempts: number, lastError: FinraRequestError) {
    super(`Gave up after ${attempts} attempts: ${lastError.message}`, { cause: lastError });
    this.attempts = attempts;
    this.lastError = lastError;
  }
}
