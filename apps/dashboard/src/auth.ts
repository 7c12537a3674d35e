import { timingSafeEqual, createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export type Role = 'admin' | 'viewer';

export interface Credentials {
  admin: string;
  viewer?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    role?: Role;
    authVia?: 'basic' | 'session';
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

/**
 * Who is asking: HTTP basic auth (scripts) or the session cookie set by the login page (people). Anonymous
 * requests go to the login page (HTML) or get 401 (API, with a basic-auth challenge).
 */
export function authenticate(credentials: Credentials) {
  return (req: Request, res: Response, next: NextFunction) => {
    const basic = basicAuth(req.headers.authorization);
    if (basic) {
      const role = checkPassword(credentials, basic.user, basic.password);
      if (!role) return void res.status(401).set('WWW-Authenticate', 'Basic realm="spine"').json({ error: 'invalid credentials' });
      req.role = role;
      req.authVia = 'basic';
      return next();
    }
    const role = req.session?.role as Role | undefined;
    if (role === 'admin' || role === 'viewer') {
      req.role = role;
      req.authVia = 'session';
      return next();
    }
    if (req.path.startsWith('/api/') || req.headers.accept?.includes('application/json')) {
      return void res.status(401).set('WWW-Authenticate', 'Basic realm="spine"').json({ error: 'authentication required' });
    }
    res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
  };
}

export function requireAdmin(req: Request, res: Response, next: NextFunction): void {
  if (req.role === 'admin') return next();
  res.status(403).json({ error: 'this needs the admin role; you are signed in as viewer' });
}
