/**
 * Recognises errors that come from the infrastructure rather than from the work itself: a lost or refused
 * connection, a timeout, a server restarting or overloaded. Waiting and trying again can cure these; nothing else
 * can cure a bad file or a bug. Domain-free: it looks only at error codes, SQLSTATEs and HTTP statuses.
 */

/** Node and undici socket-level codes. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN',
  'ENETUNREACH', 'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'ENOTCONN', 'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED',
]);

/**
 * PostgreSQL SQLSTATEs: connection exceptions (class 08), insufficient resources (53), operator intervention
 * (57: a cancelled statement, which is how statement_timeout ends one, and server shutdown or start-up), lock
 * timeouts, serialization failures and deadlocks (40), and idle-in-transaction timeouts.
 */
const SQLSTATE_CLASSES = new Set(['08', '53', '57', '40']);
const SQLSTATES = new Set(['55P03', '25P03', '58000', '58030']);

/** node-postgres raises these as plain Errors without a code. */
const PG_CLIENT_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error and is not queryable/i,
  /Client was closed and is not queryable/i,
  /Query read timeout/i,
  /Cannot use a pool after calling end/i,
];

/** ioredis, when the connection to Redis is down. */
const REDIS_MESSAGES = [/Connection is closed/i, /Reached the max retries per request limit/i, /Stream isn't writeable/i];

/** AWS SDK error names for throttling and timeouts, whatever the status code. */
const AWS_TRANSIENT_NAMES = new Set([
  'TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'SlowDown', 'Throttling', 'ThrottlingException',
  'ServiceUnavailable', 'InternalError', 'RequestTimeTooSkewed',
]);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  status?: unknown;
  statusCode?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: unknown;
  cause?: unknown;
  errors?: unknown;
}

function statusOf(e: ErrorLike): number | undefined {
  const candidates = [e.$metadata?.httpStatusCode, e.statusCode, e.status];
  const found = candidates.find((c) => typeof c === 'number');
  return typeof found === 'number' ? found : undefined;
}

/** The part of the infrastructure a transient fault came from; `lock` is PostgreSQL refusing to wait any longer. */
export type TransientReason = 'network' | 'postgres' | 'lock' | 'redis' | 's3' | 'timeout' | 'http';

export interface TransientFault {
  reason: TransientReason;
  /** What made it transient, for people: `PostgreSQL SQLSTATE 57P01`, `HTTP 503`, `network error ECONNRESET`. */
  detail: string;
  /** The code, SQLSTATE, status or error name that decided it: never a message, a URL or a value from the request. */
  context: Readonly<Record<string, string | number>>;
}

/** Lock timeouts, deadlocks and serialization failures: another session held what this one needed. */
const isLockConflict = (sqlstate: string) => sqlstate === '55P03' || sqlstate.startsWith('40');

function ownFault(e: ErrorLike): TransientFault | undefined {
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : '';
  const name = typeof e.name === 'string' ? e.name : '';
  if (code && SOCKET_CODES.has(code)) return { reason: 'network', detail: `network error ${code}`, context: { code } };
  if (code && /^[0-9A-Z]{5}$/.test(code) && (SQLSTATE_CLASSES.has(code.slice(0, 2)) || SQLSTATES.has(code))) {
    return { reason: isLockConflict(code) ? 'lock' : 'postgres', detail: `PostgreSQL SQLSTATE ${code}`, context: { sqlstate: code } };
  }
  if (PG_CLIENT_MESSAGES.some((re) => re.test(message))) return { reason: 'postgres', detail: 'PostgreSQL connection lost', context: {} };
  if (REDIS_MESSAGES.some((re) => re.test(message))) return { reason: 'redis', detail: 'Redis connection lost', context: {} };
  if (name === 'TimeoutError' || (name === 'AbortError' && /timeout/i.test(message))) return { reason: 'timeout', detail: 'timeout', context: { error: name } };
  if (AWS_TRANSIENT_NAMES.has(name) || (code !== undefined && AWS_TRANSIENT_NAMES.has(code))) {
    return { reason: 's3', detail: `S3 ${name || code}`, context: { error: name || code! } };
  }
  if (e.$retryable !== undefined && e.$retryable !== null && e.$retryable !== false) {
    return { reason: 's3', detail: `S3 ${name || 'retryable error'}`, context: { error: name } };
  }
  const status = statusOf(e);
  if (status !== undefined && (status >= 500 || status === 429 || status === 408)) return { reason: 'http', detail: `HTTP ${status}`, context: { status } };
  return undefined;
}

/**
 * The transient (infrastructure) fault behind an error, or undefined when it is not one. Wrapped errors are followed
 * through `cause` and AggregateError's `errors`, since stage runners and SDKs wrap what they caught.
 */
export function transientFault(error: unknown): TransientFault | undefined {
  const seen = new Set<unknown>();
  const visit = (e: unknown): TransientFault | undefined => {
    if (e === null || typeof e !== 'object' || seen.has(e)) return undefined;
    seen.add(e);
    const like = e as ErrorLike;
    const own = ownFault(like);
    if (own) return own;
    if (Array.isArray(like.errors)) {
      for (const inner of like.errors) {
        const found = visit(inner);
        if (found) return found;
      }
    }
    return visit(like.cause);
  };
  return visit(error);
}

/** Why an error is transient, in words (transientFault's detail), or undefined when it is not. */
export function transientReason(error: unknown): string | undefined {
  return transientFault(error)?.detail;
}
