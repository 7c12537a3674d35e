/**
 * Where a sign-in may send the browser afterwards: a path on the dashboard's own origin, never another site. The
 * target is resolved the way a browser resolves it (WHATWG URL, so `/\evil.example` is `//evil.example`) against a
 * placeholder origin, and kept only if it stays on that origin.
 */
const BASE = 'http://dashboard.invalid';

export function sameOriginPath(next: unknown, fallback = '/'): string {
  // Control characters are dropped by browsers before resolving, so they could hide a scheme or a second slash.
  if (typeof next !== 'string' || !next.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
