import { parseRetryAfterMs } from './backoff.ts';
import { FinraHttpError, FinraResponseError } from './errors.ts';
import type { OAuthTokenCache } from './oauth-token.ts';

/**
 * One POST of a JSON query, returning the parsed JSON answer. With a token cache it sends a bearer token, and on
 * 401 fetches a fresh token and tries once more: the cached one may have been revoked or expired early, and a
 * second 401 with a fresh token means the credentials themselves are refused.
 */
export async function postJsonQuery(url: string, query: unknown, signal: AbortSignal, tokens?: OAuthTokenCache): Promise<unknown> {
  const body = JSON.stringify(query);
  let response = await post(url, body, signal, tokens && (await tokens.accessToken(signal)));
  if (response.status === 401 && tokens) {
    await response.body?.cancel();
    tokens.invalidate();
    response = await post(url, body, signal, await tokens.accessToken(signal));
  }

  // Reading the body is part of the attempt, so a slow or cut-off body hits the same timeout and retry.
  const text = await response.text();
  if (!response.ok) {
    throw new FinraHttpError(url, response.status, text, parseRetryAfterMs(response.headers.get('retry-after')));
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    // Typically a transfer cut short; the next attempt usually gets the whole body.
    throw new FinraResponseError(url, `body is not valid JSON (${text.length} chars, ending ${JSON.stringify(text.slice(-40))})`, true, { cause });
  }
}

function post(url: string, body: string, signal: AbortSignal, accessToken: string | undefined): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'application/json' };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  return fetch(url, { method: 'POST', headers, body, signal });
}
