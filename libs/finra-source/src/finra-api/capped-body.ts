import { FinraResponseError } from './errors.ts';

/**
 * The body of an answer as text, refused (not retryable) past `maxBytes`: unread when its Content-Length says so,
 * else as soon as the bytes received pass the cap, so a hostile or broken server cannot fill the worker's memory.
 * `setting` names what sets the cap, for the message.
 */
export async function readCappedText(response: Response, url: string, maxBytes: number, setting: string): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new FinraResponseError(url, `answer of ${declared} bytes exceeds the ${maxBytes}-byte cap (${setting})`, false);
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    // Throwing out of the loop cancels the stream, so the rest is never downloaded.
    if (size > maxBytes) throw new FinraResponseError(url, `answer exceeds the ${maxBytes}-byte cap (${setting})`, false);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
