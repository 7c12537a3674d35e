/**
 * What a log line takes from a request. Anonymous clients choose this text (a user name, a forwarded address), and
 * every line costs a pass of secret masking and a write, so no field carries more than a bounded excerpt of it.
 */

const MAX_LOGGED_CHARS = 64;

/** The text as sent when short; otherwise its start and its full length. */
export function clientText(text: string): string {
  return text.length <= MAX_LOGGED_CHARS ? text : `${text.slice(0, MAX_LOGGED_CHARS)}... (${text.length} characters)`;
}

/**
 * A client error (a body parser's, for one) by its kind and the length of the body it refused: never its message
 * or body, which quote what the client sent.
 */
export function clientErrorFields(error: unknown): { kind: string; bodyLength?: number } {
  const { type, name, body, length } = error as { type?: unknown; name?: unknown; body?: unknown; length?: unknown };
  const kind = typeof type === 'string' ? type : typeof name === 'string' ? name : 'unknown';
  const bodyLength = typeof body === 'string' ? body.length : typeof length === 'number' ? length : undefined;
  return { kind, bodyLength };
}
