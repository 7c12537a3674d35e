import { parseRetryAfterMs } from './backoff.ts';
import { readCappedText } from './capped-body.ts';
import { FinraHttpError, FinraResponseError } from './errors.ts';
import type { OAuthTokenCache } from './oauth-token.ts';

export interface JsonAnswer {
  status: number;
  /** The parsed body; undefined for 204 and for an empty body, which FINRA sends for "no rows". */
  json: unknown;
  headers: Headers;
}

export interface JsonRequest {
  method: 'GET' | 'POST';
  url: string;
  /** Sent as JSON (POST). */
  body?: unknown;
  signal: AbortSignal;
  tokens?: OAuthTokenCache;
  /** A larger body is refused unread: FINRA cuts pages at 3 MB, so anything far beyond is not FINRA. */
  maxBodyBytes: number;
}

/**
 * One exchange with the Query API. With a token cache it sends a bearer token, and on 401 fetches a fresh token and
 * tries once more: the cached one may have been revoked or expired early, and a second 401 with a fresh token means
 * the credentials themselves are refused.
 */
export async function requestJson(request: JsonRequest): Promise<JsonAnswer> {
  const { url, signal, tokens } = request;
  let response = await send(request, tokens && (await tokens.accessToken(signal)));
  if (response.status === 401 && tokens) {
    await response.body?.cancel();
    tokens.invalidate();
    response = await send(request, await tokens.accessToken(signal));
  }

  // Reading the body is part of the attempt, so a slow or cut-off body hits the same timeout and retry.
  const text = await readCappedText(response, url, request.maxBodyBytes, 'FINRA_MAX_PAGE_BYTES');
  if (!response.ok) {
    throw new FinraHttpError(url, response.status, text, parseRetryAfterMs(response.headers.get('retry-after')));
  }
  if (response.status === 204 || text.trim() === '') return { status: response.status, json: undefined, headers: response.headers };
  try {
    return { status: response.status, json: JSON.parse(text), headers: response.headers };
  } catch (cause) {
    // Typically a transfer cut short; the next attempt usually gets the whole body.
    throw new FinraResponseError(url, `body is not valid JSON (${text.length} chars, ending ${JSON.stringify(text.slice(-40))})`, true, { cause });
  }
}

function send(request: JsonRequest, accessToken: string | undefined): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  return fetch(request.url, {
    method: request.method, headers, signal: request.signal,
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  });
}
