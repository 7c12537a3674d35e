import { timingSafeEqual, createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '@spine/platform';
import type { LoginThrottle } from './login-throttle.ts';
import { clientText } from './request-log-fields.ts';
import type { SessionClaims, SessionLifetime } from './session-lifetime.ts';

export type Role = 'admin' | 'viewer';

export interface Credentials {
  admin: string;
  viewer?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    role?: Role;
    authVia?: 'basic' | 'session';
    sessionClaims?: SessionClaims;
  }
}

function same(a: string, b: string): boolean {
  // Compare digests so the comparison takes the same time whatever the lengths.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** The role a user name and password grant, if any. User names are the role names. */
export function checkPassword(credentials: Credentials, user: string, password: string): Role | undefined {
  if (user === 'admin' && same(password, credentials.admin)) return 'admin';
  if (user === 'viewer' && credentials.viewer && same(password, credentials.viewer)) return 'viewer';
  return undefined;
}

function basicAuth(header: string | undefined): { user: string; password: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The client address as Express sees it: the TCP peer, or the forwarded address when DASHBOARD_TRUST_PROXY allows. */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

export function tooManyAttempts(res: Response, retryAfter: number): void {
  res.status(429).set('Retry-After', String(retryAfter)).json({ error: `too many failed sign-ins; try again in ${retryAfter} s` });
}

export interface AuthDeps {
  credentials: Credentials;
  throttle: LoginThrottle;
  sessions: SessionLifetime;
  logger: Logger;
}

/**
 * Who is asking: HTTP basic auth (scripts; throttled like the login form) or a session cookie set by the login page
 * (people; checked against its issue time and the revocations on every request). Anonymous requests go to the login
 * page (HTML) or get 401 (API, with a basic-auth challenge).
 */
export function authenticate({ credentials, throttle, sessions, logger }: AuthDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const basic = basicAuth(req.headers.authorization);
    if (basic) {
      const ip = clientAddress(req);
      const attempt = await throttle.attempt(ip, basic.user);
      if (!attempt.admitted) return tooManyAttempts(res, attempt.retryAfter);
      const role = checkPassword(credentials, basic.user, basic.password);
      if (!role) {
        logger.warn({ user: clientText(basic.user), ip: clientText(ip), via: 'basic' }, 'failed sign-in');
        if (attempt.waitIfWrong) return tooManyAttempts(res, attempt.waitIfWrong);
        return void res.status(401).set('WWW-Authenticate', 'Basic realm="spine"').json({ error: 'invalid credentials' });
      }
      await attempt.succeeded();
      req.role = role;
      req.authVia = 'basic';
      return next();
    }
    const claims = await sessions.validate(req.session);
    if (claims) {
      req.role = claims.role;
      req.authVia = 'session';
      req.sessionClaims = claims;
      return next();
    }
    // An expired, revoked or malformed cookie is cleared, so the browser stops sending it.
    if (req.session && !req.session.isNew) req.session = null;
    // baseUrl: a router mounted under /api (the research API) sees only the rest of the path in req.path.
    if (`${req.baseUrl}${req.path}`.startsWith('/api/') || req.headers.accept?.includes('application/json')) {
      return void res.status(401).set('WWW-Authenticate', 'Basic realm="spine"').json({ error: 'authentication required' });
    }
    res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
  };
}

export function requireAdmin(req: Request, res: Response, next: NextFunction): void {
  if (req.role === 'admin') return next();
  res.status(403).json({ error: 'this needs the admin role; you are signed in as viewer' });
}
