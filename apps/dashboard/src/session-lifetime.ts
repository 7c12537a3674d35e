import { randomBytes, randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { Pool } from '@spine/platform';
import type { Role } from './auth.ts';

/** What the signed session cookie holds. */
export interface SessionClaims {
  role: Role;
  /** Identifies the session for revocation. */
  sid: string;
  /** Issued at, epoch milliseconds: the server decides expiry from it, whatever the cookie's own Max-Age says. */
  iat: number;
  nonce: string;
}

/**
 * Server-side session lifetime: a session is valid while younger than the configured age and not signed out.
 * Sign-out records the session id in PostgreSQL until the session would have expired anyway (PostgreSQL, not Redis,
 * because a Redis restart without persistence would silently bring signed-out sessions back).
 */
export class SessionLifetime {
  constructor(private readonly pool: Pool, private readonly maxAgeMs: number, private readonly now: () => number = Date.now) {}

  issue(role: Role): SessionClaims {
    return { role, sid: randomUUID(), iat: this.now(), nonce: randomBytes(16).toString('hex') };
  }

  /** The session's claims if it is well-formed, unexpired and not revoked; undefined otherwise. */
  async validate(session: Request['session']): Promise<SessionClaims | undefined> {
    const { role, sid, iat, nonce } = (session ?? {}) as Partial<Record<keyof SessionClaims, unknown>>;
    if ((role !== 'admin' && role !== 'viewer') || typeof sid !== 'string' || typeof iat !== 'number' || typeof nonce !== 'string') return undefined;
    if (!/^[0-9a-f-]{36}$/.test(sid)) return undefined;
    const age = this.now() - iat;
    if (age < 0 || age >= this.maxAgeMs) return undefined;
    const { rowCount } = await this.pool.query('SELECT 1 FROM dashboard_revoked_sessions WHERE session_id = $1', [sid]);
    return rowCount ? undefined : { role, sid, iat, nonce };
  }

  /** Revokes the session until it would have expired; expired revocations are deleted on the way. */
  async revoke(claims: SessionClaims): Promise<void> {
    const expiresAt = new Date(claims.iat + this.maxAgeMs);
    await this.pool.query('DELETE FROM dashboard_revoked_sessions WHERE expires_at < now()');
    await this.pool.query(
      'INSERT INTO dashboard_revoked_sessions (session_id, expires_at) VALUES ($1, $2) ON CONFLICT (session_id) DO NOTHING',
      [claims.sid, expiresAt],
    );
  }
}
