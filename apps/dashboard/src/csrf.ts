import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A per-session token (HMAC of the session's nonce), for forms and for the page scripts' fetch calls. */
export function csrfToken(req: Request, secret: string): string {
  if (!req.session) throw new Error('csrfToken needs a session');
  req.session.nonce ??= randomBytes(16).toString('hex');
  return createHmac('sha256', secret).update(String(req.session.nonce)).digest('hex');
}

/** Compares a presented token with the expected one in time that does not depend on where they differ. */
export function tokensMatch(presented: string, expected: string): boolean {
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // timingSafeEqual needs equal lengths; the expected length (64 hex digits) is public, so checking it leaks nothing.
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether the Origin (or Referer) names this dashboard: scheme, host and port. The scheme is the one the browser used
 * (req.protocol: X-Forwarded-Proto when DASHBOARD_TRUST_PROXY trusts the proxy), so a page served over plain HTTP
 * cannot act on the HTTPS dashboard, and default ports compare equal however they are written.
 */
function sameOrigin(req: Request): boolean {
  const origin = req.headers.origin ?? req.headers.referer;
  if (!origin || !req.headers.host) return false;
  try {
    return new URL(origin).origin === new URL(`${req.protocol}://${req.headers.host}`).origin;
  } catch {
    return false;
  }
}

/**
 * CSRF protection for state-changing requests made with the session cookie: they must carry the session's token
 * (form field `_csrf` or header `x-csrf-token`) or come from this origin (Bull Board's own page scripts send an
 * Origin header). Basic-auth requests without an Origin (scripts) need neither; with a foreign Origin they are refused.
 */
export function csrfProtection(secret: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE.has(req.method)) return next();
    const foreign = (req.headers.origin ?? req.headers.referer) !== undefined && !sameOrigin(req);
    if (req.authVia === 'basic') return foreign ? void res.status(403).json({ error: 'cross-site request refused' }) : next();
    const token = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.headers['x-csrf-token'];
    if (typeof token === 'string' && req.session?.nonce && tokensMatch(token, csrfToken(req, secret))) return next();
    if (!foreign && sameOrigin(req)) return next();
    res.status(403).json({ error: 'missing or invalid CSRF token' });
  };
}
