export type ServiceName = 'postgres' | 'redis' | 's3';

/** A failure tied to one service, saying what was attempted against which target; the original error is kept as cause. */
export class StackError extends Error {
  override readonly name = 'StackError';
  constructor(
    readonly service: ServiceName | 'stack',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(service === 'stack' ? message : `${service}: ${message}`, options);
  }
}

/** The message of an error followed by its cause chain, one "caused by" line each. */
export function describeError(err: unknown): string {
  const lines: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    const text = current instanceof Error ? messageOf(current) : String(current);
    lines.push(depth === 0 ? text : `  caused by: ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines.join('\n');
}

function messageOf(err: Error): string {
  if (err instanceof AggregateError && err.errors.length > 0) {
    return `${err.message || 'multiple errors'}: ${err.errors.map((e) => (e instanceof Error ? e.message : String(e))).join('; ')}`;
  }
  const code = (err as { code?: unknown }).code;
  const text = err.message || err.name;
  return typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text;
}

/** A URL with its password replaced, for log lines and error messages. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (!url.password) return raw;
    url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable URL)';
  }
}
